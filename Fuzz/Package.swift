// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for RoperatorClient's parsers: run with Scripts/fuzz.sh (see docs/reliability.md).
//
// A package of its own so that the main package never builds with the fuzzer. The client's JSON,
// Model and Config folders are linked in (Sources/RoperatorClient holds symlinks) and compiled with
// coverage and AddressSanitizer; the checks are the file the regression tests use
// (Tests/RoperatorClientTests/Fuzzing/FuzzChecks.swift). Dependencies build without
// instrumentation, so the fuzzer's coverage is the client's own code.

let instrumented: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .unsafeFlags(["-sanitize=fuzzer,address"]),
]

let package = Package(
    name: "RoperatorFuzz",
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "RoperatorClient",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: instrumented
        ),
        .executableTarget(
            name: "roperator-fuzz",
            dependencies: ["RoperatorClient"],
            swiftSettings: instrumented + [.unsafeFlags(["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        ),
    ]
)
