import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// File access for configuration loading: errors carry the operating system's reason (never the
/// contents), and change detection looks at size and nanosecond modification time.
enum ConfigFiles {
    struct Failure: Error {
        let reason: String
    }

    /// Size and modification time, enough to notice a rewritten or replaced file.
    struct Stamp: Equatable {
        let size: Int64
        let modifiedSeconds: Int64
        let modifiedNanoseconds: Int64
        let inode: UInt64
    }

    /// The most a configuration file (kubeconfig, certificate, key, token) may hold; a path that
    /// names a device such as `/dev/zero` fails here instead of reading forever.
    static let maxFileSize = 16 << 20

    static func contents(of path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(reason: "cannot read \"\(path)\": \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: "cannot read \"\(path)\": \(String(cString: strerror(errno)))")
            }
            if count == 0 { return result }
            result.append(contentsOf: buffer[0..<count])
            if result.count > maxFileSize {
                throw Failure(reason: "cannot read \"\(path)\": larger than \(maxFileSize >> 20) MiB")
            }
        }
    }

    static func text(of path: String) throws(Failure) -> String {
        let bytes = try contents(of: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(reason: "\"\(path)\" is not valid UTF-8")
        }
        return text
    }

    static func stamp(_ path: String) throws(Failure) -> Stamp {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Failure(reason: "cannot stat \"\(path)\": \(String(cString: strerror(errno)))")
        }
        #if canImport(Darwin)
            let mtime = info.st_mtimespec
        #else
            let mtime = info.st_mtim
        #endif
        return Stamp(
            size: Int64(info.st_size), modifiedSeconds: Int64(mtime.tv_sec), modifiedNanoseconds: Int64(mtime.tv_nsec),
            inode: UInt64(info.st_ino)
        )
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// `path` made absolute against `directory` when it is relative; `~/` expands to the home directory.
    static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return homeDirectory() + String(path.dropFirst()) }
        if directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return currentDirectory() }
        if slash == path.startIndex { return "/" }
        let dir = String(path[..<slash])
        return dir.hasPrefix("/") ? dir : resolve(dir, against: currentDirectory())
    }

    static func currentDirectory() -> String {
        FileManager.default.currentDirectoryPath
    }

    static func homeDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }

    /// Decodes standard base64 (surrounding whitespace and line breaks allowed, nothing else).
    static func base64(_ text: String) -> [UInt8]? {
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else { return nil }
        return Array(data)
    }

    static func base64Encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func looksLikePEM(_ bytes: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN ".utf8)
        guard bytes.count >= marker.count else { return false }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
            if bytes[start..<(start + marker.count)].elementsEqual(marker) { return true }
        }
        return false
    }
}
