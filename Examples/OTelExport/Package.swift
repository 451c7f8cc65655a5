// swift-tools-version: 6.1
import PackageDescription

// A package of its own, outside Roperator's dependency graph: swift-otel (with its OTLP code) takes
// minutes to build, and operators that do not export traces should not pay for it.
// Built and tested by .ci/run: cd Examples/OTelExport && swift test
let package = Package(
    name: "OTelExport",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Roperator", path: "../.."),
        // OTLP over HTTP only: the gRPC exporter would add grpc-swift to the build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "OTelExport",
            dependencies: [
                .product(name: "Roperator", package: "Roperator"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "otel-echo",
            dependencies: [
                "OTelExport",
                .product(name: "Roperator", package: "Roperator"),
                .product(name: "OTel", package: "swift-otel"),
            ]
        ),
        .testTarget(
            name: "OTelExportTests",
            dependencies: [
                "OTelExport",
                .product(name: "Roperator", package: "Roperator"),
                .product(name: "RoperatorTesting", package: "Roperator"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)
