extension OperatorScaffold {
    /// `Package.swift`: a library with the types and the handler (tested in-process), the
    /// executable, and the tests.
    var packageManifest: String {
        let roperator: String
        switch dependency {
        case .path(let path): roperator = ".package(path: \(swiftLiteral(path)))"
        case .url(let url): roperator = ".package(url: \(swiftLiteral(url)), branch: \"main\")"
        }
        let package = swiftLiteral(dependencyIdentity)
        return #"""
            // swift-tools-version: 6.1
            import PackageDescription

            let package = Package(
                name: "\#(name)",
                platforms: [.macOS(.v15)],
                products: [
                    .executable(name: "\#(name)", targets: ["\#(name)"]),
                ],
                dependencies: [
                    \#(roperator),
                    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
                ],
                targets: [
                    // The custom resource's types, its CRD and the handler: what the tests exercise.
                    .target(
                        name: "\#(moduleName)",
                        dependencies: [.product(name: "Roperator", package: \#(package))],
                        resources: [.copy("crd.yaml")]
                    ),
                    // The operator executable: the cluster by default, `--embedded` for an in-process API server.
                    .executableTarget(
                        name: "\#(name)",
                        dependencies: [
                            "\#(moduleName)",
                            .product(name: "Roperator", package: \#(package)),
                            .product(name: "RoperatorTesting", package: \#(package)),
                            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                        ]
                    ),
                    .testTarget(
                        name: "\#(moduleName)Tests",
                        dependencies: [
                            "\#(moduleName)",
                            .product(name: "Roperator", package: \#(package)),
                            .product(name: "RoperatorTesting", package: \#(package)),
                        ]
                    ),
                ]
            )

            """#
    }

    /// `text` as a Swift string literal.
    func swiftLiteral(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
