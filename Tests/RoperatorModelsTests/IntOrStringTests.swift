import RoperatorClient
import RoperatorModels
import Testing

@Suite struct IntOrStringTests {
    @Test(arguments: [Int32.min, -1, 0, 1, 8080, Int32.max])
    func integersRoundTripAsNumbers(_ value: Int32) throws {
        let encoded = try JSONValueEncoder().encode(IntOrString.int(value))
        #expect(encoded == .int(Int64(value)))
        #expect(try JSONValueDecoder().decode(IntOrString.self, from: encoded) == .int(value))
    }

    @Test(arguments: ["", "http", "25%", "8080"])
    func stringsRoundTripAsStrings(_ value: String) throws {
        let encoded = try JSONValueEncoder().encode(IntOrString.string(value))
        #expect(encoded == .string(value))
        #expect(try JSONValueDecoder().decode(IntOrString.self, from: encoded) == .string(value))
    }

    @Test(arguments: [JSONValue.int(Int64(Int32.max) + 1), .double(1.5), .bool(true), .null, [:]])
    func otherJSONIsRefused(_ json: JSONValue) {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(IntOrString.self, from: json) }
    }

    @Test func literalsAndAccessors() {
        let port: IntOrString = 80
        let name: IntOrString = "http"
        #expect(port.intValue == 80 && port.stringValue == nil)
        #expect(name.stringValue == "http" && name.intValue == nil)
        #expect(port.description == "80")
    }
}
