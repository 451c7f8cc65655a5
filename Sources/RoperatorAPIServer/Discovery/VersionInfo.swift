import RoperatorClient

/// What `/version` reports. kubectl's dispatcher picks its binary from `minor`.
struct VersionInfo: Sendable {
    /// e.g. `v1.32.3`.
    var gitVersion: String

    var json: JSONValue {
        let numbers = gitVersion.dropFirst(gitVersion.hasPrefix("v") ? 1 : 0).split(separator: ".")
        let major = numbers.first.map(String.init) ?? "1"
        let minor = numbers.count > 1 ? String(numbers[1]) : "0"
        return [
            "major": .string(major),
            "minor": .string(minor),
            "gitVersion": .string(gitVersion),
            "gitCommit": "0000000000000000000000000000000000000000",
            "gitTreeState": "clean",
            "buildDate": "2025-01-01T00:00:00Z",
            "goVersion": "go1.23.4",
            "compiler": "gc",
            "platform": .string(Self.platform),
        ]
    }

    static var platform: String {
        #if arch(arm64)
            let arch = "arm64"
        #else
            let arch = "amd64"
        #endif
        #if os(macOS)
            return "darwin/\(arch)"
        #else
            return "linux/\(arch)"
        #endif
    }
}
