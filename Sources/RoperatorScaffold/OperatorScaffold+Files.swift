public import Foundation

extension OperatorScaffold {
    /// One file of the generated package: its path relative to the package root and its text.
    public struct File: Sendable, Equatable {
        /// E.g. `Sources/MemcachedOperator/MemcachedHandler.swift`.
        public var path: String
        /// The whole text.
        public var contents: String
    }

    /// Every file of the generated package.
    public func files() -> [File] {
        [
            File(path: "Package.swift", contents: packageManifest),
            File(path: ".gitignore", contents: ".build/\n.swiftpm/\nPackage.resolved\n"),
            File(path: "README.md", contents: readme),
            File(path: "Dockerfile", contents: dockerfile),
            File(path: "Sources/\(moduleName)/\(kind).swift", contents: resourceSource),
            File(path: "Sources/\(moduleName)/\(kind)Spec.swift", contents: specSource),
            File(path: "Sources/\(moduleName)/\(kind)Status.swift", contents: statusSource),
            File(path: "Sources/\(moduleName)/\(kind)Handler.swift", contents: handlerSource),
            File(path: "Sources/\(moduleName)/crd.yaml", contents: crdYAML),
            File(path: "Sources/\(name)/\(kind)Command.swift", contents: mainSource),
            File(path: "Sources/\(name)/EmbeddedRun.swift", contents: embeddedRunSource),
            File(path: "Tests/\(moduleName)Tests/\(kind)HandlerTests.swift", contents: testSource),
            File(path: "config/sample.yaml", contents: sampleYAML),
            File(path: "config/rbac.yaml", contents: rbacYAML),
            File(path: "config/deployment.yaml", contents: deploymentYAML),
        ]
    }

    /// Writes ``files()`` under `directory`, which must not exist yet or be empty: nothing of the
    /// user's is overwritten.
    ///
    /// - Throws: ``ScaffoldError`` when `directory` holds files; file-system errors as they come.
    public func write(to directory: URL) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.path) {
            let existing = try manager.contentsOfDirectory(atPath: directory.path)
            guard existing.isEmpty else {
                throw ScaffoldError(argument: "--output", value: directory.path, reason: "exists and is not empty")
            }
        }
        for file in files() {
            let url = directory.appendingPathComponent(file.path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url)
        }
    }
}
