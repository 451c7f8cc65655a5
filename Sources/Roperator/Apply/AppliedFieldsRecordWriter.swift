import RoperatorClient

/// Writes the text of an ``AppliedFields`` record straight from a desired object: members in
/// the byte order of their keys (as `JSONValue.serialized()` writes them), every scalar as `1`,
/// the members the record leaves out skipped, and `metadata`, its `labels` and `annotations`
/// left out when nothing in them is recorded.
struct AppliedFieldsRecordWriter {
    /// Where in the object a member is, for the members the record may leave out.
    enum Level {
        case top, metadata, labels, annotations
    }

    /// What to do with one member.
    enum Decision {
        /// Leave it out of the record.
        case skip
        /// Record its shape.
        case keep
        /// Record its members at the named level (an object left empty is left out).
        case descend(Level)
    }

    private(set) var bytes: [UInt8] = []
    /// Which members the record leaves out.
    let decide: (Level, String) -> Decision

    /// The record written so far, as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes the record of the top-level object `members`.
    mutating func write(_ members: [String: JSONValue]) {
        bytes.append(UInt8(ascii: "{"))
        writeMembers(members, level: .top)
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes the members of one object; returns how many it wrote.
    @discardableResult
    private mutating func writeMembers(_ members: [String: JSONValue], level: Level?) -> Int {
        var written = 0
        for (key, value) in members.sorted(by: { JSONValue.memberOrder($0.key, $1.key) }) {
            let decision = level.map { decide($0, key) } ?? .keep
            if case .skip = decision { continue }
            let mark = bytes.count
            if written > 0 { bytes.append(UInt8(ascii: ",")) }
            writeKey(key)
            bytes.append(UInt8(ascii: ":"))
            if case .descend(let inner) = decision, case .object(let nested) = value {
                bytes.append(UInt8(ascii: "{"))
                guard writeMembers(nested, level: inner) > 0 else {
                    bytes.removeSubrange(mark...)
                    continue
                }
                bytes.append(UInt8(ascii: "}"))
            } else {
                writeShape(value)
            }
            written += 1
        }
        return written
    }

    private mutating func writeShape(_ value: JSONValue) {
        switch value {
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            writeMembers(members, level: nil)
            bytes.append(UInt8(ascii: "}"))
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeShape(element)
            }
            bytes.append(UInt8(ascii: "]"))
        default:
            bytes.append(UInt8(ascii: "1"))
        }
    }

    /// A key as a JSON string; keys that need escapes (rare) take the general writer.
    private mutating func writeKey(_ key: String) {
        let plain = key.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        guard plain else {
            bytes += JSONValue.string(key).serializedBytes()
            return
        }
        bytes.append(UInt8(ascii: "\""))
        bytes += key.utf8
        bytes.append(UInt8(ascii: "\""))
    }
}
