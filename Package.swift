// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Strict concurrency and Swift 6 language mode everywhere.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Roperator",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RoperatorClient", targets: ["RoperatorClient"]),
        .library(name: "Roperator", targets: ["Roperator"]),
        .library(name: "RoperatorAPIServer", targets: ["RoperatorAPIServer"]),
        .library(name: "RoperatorTesting", targets: ["RoperatorTesting"]),
        .executable(name: "roperator-apiserver", targets: ["roperator-apiserver"]),
        .executable(name: "roperator", targets: ["roperator"]),
        .executable(name: "echo-server", targets: ["echo-server"]),
        .executable(name: "temp-namespace", targets: ["temp-namespace"]),
        .executable(name: "config-bundle", targets: ["config-bundle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "RoperatorClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Roperator",
            dependencies: [
                "RoperatorClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // The embedded Kubernetes API server: a product of its own, built on the client alone.
        .target(
            name: "RoperatorAPIServer",
            dependencies: [
                "RoperatorClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The TestKit: an operator against the embedded API server in one process.
        .target(
            name: "RoperatorTesting",
            dependencies: [
                "Roperator",
                "RoperatorAPIServer",
                "RoperatorClient",
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "roperator-apiserver",
            dependencies: [
                "RoperatorAPIServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // `swift run roperator init <name> --group <g> --version <v> --kind <K>`: a new operator package.
        .target(name: "RoperatorScaffold", swiftSettings: swiftSettings),
        .executableTarget(
            name: "roperator",
            dependencies: [
                "RoperatorScaffold",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Examples: each is a library (config + handler, tested in-process) and a tiny executable.
        .target(
            name: "ExampleRunner",
            dependencies: [
                "Roperator",
                "RoperatorTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Examples/ExampleRunner",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EchoServerExample",
            dependencies: ["Roperator", .product(name: "Logging", package: "swift-log")],
            path: "Examples/EchoServer",
            exclude: ["README.md", "Sources/echo-server"],
            sources: ["Sources/EchoServerExample"],
            resources: [.copy("crd.yaml"), .copy("sample.yaml")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "echo-server",
            dependencies: ["EchoServerExample", "ExampleRunner"],
            path: "Examples/EchoServer/Sources/echo-server",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TempNamespaceExample",
            dependencies: ["Roperator", .product(name: "Logging", package: "swift-log")],
            path: "Examples/TempNamespace",
            exclude: ["README.md", "Sources/temp-namespace"],
            sources: ["Sources/TempNamespaceExample"],
            resources: [.copy("crd.yaml"), .copy("sample.yaml")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "temp-namespace",
            dependencies: ["TempNamespaceExample", "ExampleRunner"],
            path: "Examples/TempNamespace/Sources/temp-namespace",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ConfigBundleExample",
            dependencies: ["Roperator", .product(name: "Logging", package: "swift-log")],
            path: "Examples/ConfigBundle",
            exclude: ["README.md", "Sources/config-bundle"],
            sources: ["Sources/ConfigBundleExample"],
            resources: [.copy("crd.yaml"), .copy("sample.yaml")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "config-bundle",
            dependencies: ["ConfigBundleExample", "ExampleRunner"],
            path: "Examples/ConfigBundle/Sources/config-bundle",
            swiftSettings: swiftSettings
        ),
        // A sharded operator replica for the multi-process sharding tests (records its syncs).
        .executableTarget(
            name: "shard-replica",
            dependencies: [
                "Roperator", "RoperatorClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/ShardReplica",
            swiftSettings: swiftSettings
        ),
        // Caps Swift Testing's parallelism in the test process (see TestParallelism.c).
        .target(name: "TestParallelism", path: "Tests/TestParallelism"),
        .testTarget(
            name: "RoperatorClientTests",
            dependencies: [
                "TestParallelism",
                "RoperatorClient",
                "RoperatorAPIServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RoperatorTests",
            dependencies: [
                "Roperator", "RoperatorTesting", "EchoServerExample", "TempNamespaceExample", "ConfigBundleExample",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RoperatorAPIServerTests",
            // AsyncHTTPClient: an HTTP client the project did not write, to test the server with.
            dependencies: ["RoperatorAPIServer", "RoperatorClient", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RoperatorScaffoldTests",
            dependencies: ["RoperatorScaffold", "RoperatorClient"],
            swiftSettings: swiftSettings
        ),
    ]
)

// Benchmarks (ordo-one/benchmark) compile only when asked for: ROPERATOR_BENCHMARKS=1 swift package benchmark
if ProcessInfo.processInfo.environment["ROPERATOR_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"])
    )
    package.targets.append(
        .executableTarget(
            name: "JSONBenchmarks",
            dependencies: [
                "RoperatorClient",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/JSONBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
    // Runtime hot paths (child diff, apply plan, queue, informer event handling, CompactObject);
    // they call `package` entry points of Roperator (a release build allows no @testable import).
    package.targets.append(
        .executableTarget(
            name: "RuntimeBenchmarks",
            dependencies: [
                "Roperator",
                "RoperatorClient",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RuntimeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
    // Embedded API server throughput over real HTTP, in-process and against the standalone binary.
    package.targets.append(
        .executableTarget(
            name: "APIServerBenchmark",
            dependencies: ["RoperatorAPIServer", "RoperatorClient"],
            path: "Benchmarks/APIServerBenchmark",
            swiftSettings: swiftSettings
        )
    )
    // What the operator benchmarks share: the server process, /proc readings, the workload.
    package.targets.append(
        .target(
            name: "BenchmarkSupport",
            dependencies: ["Roperator", "RoperatorClient", "RoperatorTesting"],
            path: "Benchmarks/BenchmarkSupport",
            swiftSettings: swiftSettings
        )
    )
    // Reconcile throughput: a plain executable (no benchmark plugin); it starts the
    // roperator-apiserver binary built in the same scratch path. See docs/benchmarks.md.
    package.targets.append(
        .executableTarget(
            name: "ReconcileBenchmark",
            dependencies: [
                "BenchmarkSupport", "Roperator", "RoperatorClient", "RoperatorTesting",
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/ReconcileBenchmark",
            swiftSettings: swiftSettings
        )
    )
    // Operator benchmarks (issue 12): the driver starts roperator-apiserver and the worker (the
    // operator under test) as processes of their own and measures them from outside.
    package.targets.append(
        .executableTarget(
            name: "OperatorBenchmarkWorker",
            dependencies: [
                "BenchmarkSupport", "Roperator", "RoperatorClient", .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/OperatorBenchmarkWorker",
            swiftSettings: swiftSettings
        )
    )
    package.targets.append(
        .executableTarget(
            name: "OperatorBenchmark",
            dependencies: ["BenchmarkSupport", "RoperatorClient", "RoperatorTesting"],
            path: "Benchmarks/OperatorBenchmark",
            swiftSettings: swiftSettings
        )
    )
}

// DocC (swift-docc-plugin) only when asked for, so that ordinary builds do not fetch it:
// ROPERATOR_DOCS=1 swift package --scratch-path .build-docs generate-documentation --target Roperator
if ProcessInfo.processInfo.environment["ROPERATOR_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"))
}

// Typed Kubernetes models (issue 10), generated by Scripts/generate-models.py into Sources/Models/.
// One target per API group version, so a user compiles only what they import; `RoperatorModels`
// re-exports them all. Each entry: module suffix, the other model modules it uses (MetaV1 is implied).
let modelModules: [(name: String, uses: [String])] = [
    ("MetaV1", []),
    ("CoreV1", []),
    ("AdmissionRegistrationV1", []),
    ("AppsV1", ["CoreV1"]),
    ("AutoscalingV1", []),
    ("AutoscalingV2", []),
    ("BatchV1", ["CoreV1"]),
    ("CertificatesV1", []),
    ("CoordinationV1", []),
    ("DiscoveryV1", ["CoreV1"]),
    ("EventsV1", ["CoreV1"]),
    ("NetworkingV1", ["CoreV1"]),
    ("NodeV1", ["CoreV1"]),
    ("PolicyV1", []),
    ("RBACV1", []),
    ("SchedulingV1", []),
    ("StorageV1", ["CoreV1"]),
]
for module in modelModules {
    let uses = module.name == "MetaV1" ? [] : (["MetaV1"] + module.uses)
    package.targets.append(
        .target(
            name: "RoperatorModels\(module.name)",
            dependencies: ["RoperatorClient"] + uses.map { .target(name: "RoperatorModels\($0)") },
            path: "Sources/Models/\(module.name)",
            swiftSettings: swiftSettings
        )
    )
    package.products.append(.library(name: "RoperatorModels\(module.name)", targets: ["RoperatorModels\(module.name)"]))
}
package.targets.append(
    .target(
        name: "RoperatorModels",
        dependencies: modelModules.map { .target(name: "RoperatorModels\($0.name)") },
        path: "Sources/Models/RoperatorModels",
        swiftSettings: swiftSettings
    )
)
package.products.append(.library(name: "RoperatorModels", targets: ["RoperatorModels"]))
package.targets.append(
    .testTarget(
        name: "RoperatorModelsTests",
        dependencies: ["RoperatorModels", "RoperatorClient"],
        exclude: ["Samples"],
        swiftSettings: swiftSettings
    )
)
// The EchoServer example uses typed Pods and Services.
for target in package.targets where target.name == "EchoServerExample" {
    target.dependencies += ["RoperatorModelsCoreV1", "RoperatorModelsMetaV1"]
}
// Tests of the typed models and derived CRDs in the runtime and server suites.
for target in package.targets where target.name == "RoperatorTests" {
    target.dependencies += ["RoperatorModelsCoreV1", "RoperatorModelsMetaV1"]
}
// The server's suite checks typed models with kubectl and the EchoServer's typed children with
// kubernetes-validate.
for target in package.targets where target.name == "RoperatorAPIServerTests" {
    target.dependencies += [
        "RoperatorModelsAppsV1", "RoperatorModelsCoreV1", "RoperatorModelsMetaV1", "EchoServerExample", "Roperator",
    ]
}
// The WebApp example: a typed Deployment and Service, its CRD derived from the Swift type.
package.targets += [
    .target(
        name: "WebAppExample",
        dependencies: [
            "Roperator", "RoperatorModelsAppsV1", "RoperatorModelsCoreV1", "RoperatorModelsMetaV1",
        ],
        path: "Examples/WebApp",
        exclude: ["README.md", "Sources/web-app"],
        sources: ["Sources/WebAppExample"],
        resources: [.copy("crd.yaml"), .copy("sample.yaml")],
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "web-app",
        dependencies: ["WebAppExample", "ExampleRunner"],
        path: "Examples/WebApp/Sources/web-app",
        swiftSettings: swiftSettings
    ),
]
package.products.append(.executable(name: "web-app", targets: ["web-app"]))
for target in package.targets where target.name == "RoperatorTests" {
    target.dependencies += ["WebAppExample", "RoperatorModelsAppsV1"]
}
