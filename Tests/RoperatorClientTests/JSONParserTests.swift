import RoperatorClient
import Testing

@Suite struct JSONParserTests {
    @Test func roundTripIsStableAndSorted() throws {
        let text = #"{"z":{"b":[1,2.5,-3e-7,"s"],"a":null},"a":true,"m":"\"\\\/\b\f\n\r\t"}"#
        let value = try JSONValue(parsing: text)
        let once = value.serialized()
        #expect(once == #"{"a":true,"m":"\"\\/\b\f\n\r\t","z":{"a":null,"b":[1,2.5,-3e-07,"s"]}}"#)
        #expect(try JSONValue(parsing: once) == value)
        #expect(try JSONValue(parsing: once).serialized() == once)
    }

    @Test func integersAtTheInt64Limits() throws {
        let value = try JSONValue(parsing: "[9223372036854775807,-9223372036854775808,0,-0]")
        #expect(value == [.int(.max), .int(.min), .int(0), .int(0)])
        #expect(value.serialized() == "[9223372036854775807,-9223372036854775808,0,0]")
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        #expect(try JSONValue(parsing: "9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue(parsing: "-9223372036854775809") == .double(-9_223_372_036_854_775_809))
        #expect(try JSONValue(parsing: "18446744073709551616") == .double(18_446_744_073_709_551_616))
        #expect(try JSONValue(parsing: "1.0") == .double(1))
        #expect(try JSONValue(parsing: "1E2") == .double(100))
    }

    @Test func doublesRoundTripExactly() throws {
        for d in [0.1, 1.5e300, -2.2250738585072014e-308, 123456.789, 1e21, 5e-324] {
            let text = JSONValue.double(d).serialized()
            #expect(try JSONValue(parsing: text).doubleValue == d, "\(text)")
        }
    }

    @Test func unicodeEscapes() throws {
        #expect(try JSONValue(parsing: #""\u00e9\u4e2d""#) == .string("é中"))
        #expect(try JSONValue(parsing: #""\ud83d\ude80 go""#) == .string("🚀 go"))
        #expect(try JSONValue(parsing: #""\uD83D\uDE80""#) == .string("🚀"))
        // A lone surrogate cannot be represented in a String; it becomes U+FFFD.
        #expect(try JSONValue(parsing: #""\ud83d x""#) == .string("\u{FFFD} x"))
        #expect(try JSONValue(parsing: #""\ude80""#) == .string("\u{FFFD}"))
        // Raw UTF-8 passes through, and control characters are escaped on output.
        #expect(try JSONValue(parsing: "\"caf\u{e9} 🚀\"") == .string("café 🚀"))
        #expect(JSONValue.string("a\u{1}b").serialized() == #""a\u0001b""#)
    }

    @Test(arguments: [
        (#"{"a":1 "b":2}"#, 7),
        ("[1,2", 4),
        (#"{"a":}"#, 5),
        ("[01]", 1),
        (#""abc"#, 0),
        ("tru", 0),
        ("[1,]", 3),
        ("{\"a\":\"x\ny\"}", 7),
        (#"{"a":1}x"#, 7),
        ("", 0),
        (#"["\q"]"#, 2),
        ("-", 0),
        ("1.", 2),
        (#"{1:2}"#, 1),
    ])
    func malformedInputReportsByteOffset(text: String, offset: Int) {
        #expect {
            try JSONValue(parsing: text)
        } throws: { error in
            (error as? JSONParseError)?.offset == offset
        }
    }

    @Test func errorDescriptionNamesTheOffset() {
        #expect(JSONParseError(offset: 7, reason: "expected ':'").description == "invalid JSON at byte 7: expected ':'")
    }

    @Test func nestingDepthIsLimited() throws {
        let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSONValue(parsing: ok) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect {
            try JSONValue(parsing: deep)
        } throws: { error in
            (error as? JSONParseError)?.reason.contains("nesting") == true
        }
    }

    @Test func parsesBytesAndSubstrings() throws {
        let bytes: [UInt8] = Array(#" {"a" : [ true , false ] } "#.utf8)
        #expect(try JSONValue(parsing: bytes) == ["a": [true, false]])
        #expect(try JSONValue(parsing: bytes[1...]) == ["a": [true, false]])
    }

    @Test func writesNonFiniteAsNullAndIntegralDoublesCompactly() {
        #expect(JSONValue.double(.nan).serialized() == "null")
        #expect(JSONValue.double(3).serialized() == "3")
        #expect(JSONValue.double(-0.5).serialized() == "-0.5")
    }
}
