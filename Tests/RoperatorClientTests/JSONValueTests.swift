import RoperatorClient
import Testing

@Suite struct JSONValueTests {
    @Test func roundTripSortsKeys() throws {
        let v = try JSONValue(parsing: #"{"b":1,"a":[true,false,null,"x\n\u00e9"],"c":{"z":-9223372036854775808,"y":1.5}}"#)
        #expect(v.serialized() == #"{"a":[true,false,null,"x\n\#u{e9}"],"b":1,"c":{"y":1.5,"z":-9223372036854775808}}"#)
    }

    @Test func malformedInputReportsOffset() {
        #expect(throws: JSONParseError(offset: 7, reason: "expected ',' or '}'")) {
            try JSONValue(parsing: #"{"a":1 "b":2}"#)
        }
    }
}
