#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LeaderElector {
    /// The hostname (a pod's name in Kubernetes) plus a random suffix, so that two processes on
    /// one host, or a restarted pod that kept its name, never share an identity.
    static func defaultIdentity() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return (host.isEmpty ? "roperator" : host) + "_" + String(repeating: "0", count: 8 - suffix.count) + suffix
    }
}
