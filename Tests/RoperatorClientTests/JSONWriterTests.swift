import RoperatorClient
import Testing
import RoperatorAPIServer

@Suite struct JSONWriterTests {
    /// Keys whose byte order is easy to get wrong: prefixes, case, control and escaped characters,
    /// multi-byte UTF-8 (where byte order and UTF-16 order differ), long keys that are not small strings.
    static let keys = [
        "", "a", "ab", "abc", "B", "b", "Z", "_", "~", "\u{7F}", "\u{1}", "\"", "\\", "\n", "é", "e", "ez",
        "日本", "\u{FFFD}", "\u{10000}", "😀", "\u{E000}", "metadata", "managedFields", "apiVersion",
        "a-very-long-key-that-is-not-a-small-string-0", "a-very-long-key-that-is-not-a-small-string-1",
    ]

    private static func randomValue(_ rng: inout SeededRandomNumberGenerator, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int64.random(in: .min ... .max, using: &rng))
        case 3: return .double(Double.random(in: -1e6...1e6, using: &rng))
        case 4: return .string(keys.randomElement(using: &rng)! + "x\u{0}\t")
        case 5: return .array((0..<Int.random(in: 0..<5, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0..<12, using: &rng) {
                object[keys.randomElement(using: &rng)!] = randomValue(&rng, depth: depth + 1)
            }
            return .object(object)
        }
    }

    @Test func unsortedOutputParsesToAnEqualValue() throws {
        var rng = SeededRandomNumberGenerator(seed: 3)
        for _ in 0..<300 {
            let value = Self.randomValue(&rng)
            let unsorted = value.serializedBytes(sortedKeys: false)
            #expect(try JSONValue(parsing: unsorted) == value)
            #expect(unsorted.count == value.serializedBytes().count, "the same members, only their order may differ")
            #expect(try JSONValue(parsing: value.serialized(sortedKeys: false)) == value)
        }
    }

    /// Every ASCII character at every position of strings long enough for the eight-byte scan,
    /// with multi-byte characters around it.
    @Test func everyCharacterIsEscapedWhereverItStands() throws {
        for length in [1, 7, 8, 9, 16, 17, 23] {
            for position in 0..<length {
                for scalar in 0..<128 {
                    var chars = Array(repeating: Character("a"), count: length)
                    chars[position] = Character(Unicode.Scalar(UInt8(scalar)))
                    if position > 0 { chars[position - 1] = "é" }
                    let string = String(chars)
                    let text = JSONValue.string(string).serialized()
                    #expect(try JSONValue(parsing: text) == .string(string), "\(text)")
                    let escaped = scalar < 0x20 || scalar == 0x22 || scalar == 0x5C
                    #expect(
                        text.utf8.count == string.utf8.count + 2
                            + (escaped ? (scalar < 0x20 && ![8, 9, 10, 12, 13].contains(scalar) ? 5 : 1) : 0))
                }
            }
        }
    }

    @Test func sortedOutputOrdersKeysByUTF8Bytes() throws {
        var object: [String: JSONValue] = [:]
        for (i, key) in Self.keys.enumerated() { object[key] = .int(Int64(i)) }
        let byBytes = Self.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let expected = "{" + byBytes.map { "\(JSONValue.string($0).serialized()):\(object[$0]!.serialized())" }.joined(separator: ",") + "}"
        #expect(JSONValue.object(object).serialized() == expected)
        // Byte order is code point order, not UTF-16 order (where U+10000, a surrogate pair, sorts first).
        #expect(byBytes.firstIndex(of: "\u{FFFD}")! < byBytes.firstIndex(of: "😀")!)
        #expect(byBytes.firstIndex(of: "\u{E000}")! < byBytes.firstIndex(of: "\u{10000}")!)
    }

    @Test func sortedOutputIsTheSameForEqualValuesBuiltInAnyOrder() {
        var rng = SeededRandomNumberGenerator(seed: 11)
        for _ in 0..<50 {
            let keys = Self.keys.shuffled(using: &rng)
            var forward: [String: JSONValue] = [:]
            var backward: [String: JSONValue] = Dictionary(minimumCapacity: 64)
            for key in keys { forward[key] = .string(key) }
            for key in keys.reversed() { backward[key] = .string(key) }
            #expect(JSONValue.object(forward).serializedBytes() == JSONValue.object(backward).serializedBytes())
        }
    }
}
