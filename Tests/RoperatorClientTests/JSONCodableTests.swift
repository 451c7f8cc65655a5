import Foundation
import RoperatorClient
import Testing

@Suite struct JSONCodableTests {
    enum Phase: String, Codable, Equatable {
        case pending = "Pending"
        case running = "Running"
    }

    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(side: Int)
    }

    struct Port: Codable, Equatable {
        var name: String?
        var containerPort: Int32
    }

    struct Container: Codable, Equatable {
        var name: String
        var image: String?
        var ports: [Port]
        var env: [String: String]
    }

    struct Spec: Codable, Equatable {
        var replicas: Int
        var phase: Phase
        var containers: [Container]
        var selector: [String: String]?
        var shape: Shape
        var created: Date
        var generation: Int64
        var uid: UInt64
        var ratio: Double
        var small: Float
        var flags: [Bool?]
        var payload: Data
        var extra: JSONValue
        var nothing: JSONValue?
    }

    static let spec = Spec(
        replicas: 3,
        phase: .running,
        containers: [
            Container(
                name: "web", image: nil, ports: [Port(name: "http", containerPort: 8080), Port(name: nil, containerPort: 9090)],
                env: ["A": "1"])
        ],
        selector: nil,
        shape: .square(side: 2),
        created: Date(timeIntervalSince1970: 1_764_039_845),
        generation: .min,
        uid: UInt64(Int64.max),
        ratio: 0.1,
        small: 0.1,
        flags: [true, nil, false],
        payload: Data("hi".utf8),
        extra: ["raw": [1, "two", nil], "n": nil],
        nothing: nil
    )

    @Test func encodesToTheExpectedJSON() throws {
        let json = try JSONValue(encoding: Self.spec)
        #expect(json["selector"] == nil, "nil optionals are omitted")
        #expect(json["nothing"] == nil)
        #expect(json[pointer: "/containers/0/image"] == nil)
        #expect(json[pointer: "/containers/0/ports/1"] == ["containerPort": 9090])
        #expect(json["phase"] == "Running")
        #expect(json["created"] == "2025-11-25T03:04:05Z")
        #expect(json["generation"] == .int(.min))
        #expect(json["uid"] == .int(.max))
        #expect(json["ratio"] == .double(0.1))
        #expect(json["small"] == .double(0.1))
        #expect(json["flags"] == [true, nil, false], "nil array elements keep their position")
        #expect(json["payload"] == "aGk=")
        #expect(json["extra"] == ["raw": [1, "two", nil], "n": nil], "raw JSON is embedded untouched")
        #expect(json["shape"] == ["square": ["side": 2]])
    }

    @Test func roundTripsThroughOurCoders() throws {
        let json = try JSONValue(encoding: Self.spec)
        #expect(try json.decode(Spec.self) == Self.spec)
        let reparsed = try JSONValue(parsing: json.serialized())
        #expect(try reparsed.decode(Spec.self) == Self.spec)
    }

    @Test func jsonValueWorksWithFoundationCoders() throws {
        let value: JSONValue = ["a": [1, 2.5, "s", true, nil, ["b": false]], "big": .int(.max), "zero": 0, "one": 1]
        struct Wrapper: Codable, Equatable { var raw: JSONValue }
        let data = try JSONEncoder().encode(Wrapper(raw: value))
        let back = try JSONDecoder().decode(Wrapper.self, from: data)
        #expect(back.raw == value)
        #expect(try JSONValue(parsing: Array(data))["raw"] == value)
    }

    @Test func spuriousNilFromAGenericOptionalIsOmitted() throws {
        struct Generic<T: Codable>: Codable {
            var value: T
            var other: Int
        }
        let json = try JSONValue(encoding: Generic<String?>(value: nil, other: 1))
        #expect(json == ["other": 1])
        let dictionary: [String: Int?] = ["a": 1, "b": nil]
        #expect(try JSONValue(encoding: dictionary) == ["a": 1])
    }

    @Test func explicitEncodeNilWritesNull() throws {
        struct Deleting: Encodable {
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: JSONCodingKeyForTest.self)
                try c.encodeNil(forKey: .init(stringValue: "gone"))
            }
        }
        #expect(try JSONValue(encoding: Deleting()) == ["gone": nil])
    }

    @Test func largeIntegersAreExact() throws {
        #expect(try JSONValue(encoding: UInt64(Int64.max)) == .int(.max))
        #expect(throws: EncodingError.self) { try JSONValue(encoding: UInt64.max) }
        #expect(throws: EncodingError.self) { try JSONValue(encoding: Double.infinity) }
        #expect(try JSONValue.int(.max).decode(Int64.self) == .max)
        #expect(try JSONValue.double(1e19).decode(UInt64.self) == 10_000_000_000_000_000_000)
        #expect(try JSONValue.double(3).decode(Int.self) == 3)
        #expect(throws: DecodingError.self) { try JSONValue.int(300).decode(UInt8.self) }
        #expect(throws: DecodingError.self) { try JSONValue.double(1.5).decode(Int.self) }
    }

    @Test func datesAcceptKubernetesFormats() throws {
        let base = Date(timeIntervalSince1970: 1_764_039_845)
        #expect(try JSONValue("2025-11-25T03:04:05Z").decode(Date.self) == base)
        #expect(try JSONValue("2025-11-25T04:04:05+01:00").decode(Date.self) == base)
        let micro = try JSONValue("2025-11-25T03:04:05.250000Z").decode(Date.self)
        #expect(micro.timeIntervalSince1970 == 1_764_039_845.25)
        #expect(try JSONValue(encoding: micro) == "2025-11-25T03:04:05.250000Z")
        #expect(try JSONValue(encoding: Date(timeIntervalSince1970: -86_400)) == "1969-12-31T00:00:00Z")
        #expect(try JSONValue(encoding: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(throws: DecodingError.self) { try JSONValue("yesterday").decode(Date.self) }
    }

    @Test func decodingErrorsNameTheCodingPath() throws {
        var json = try JSONValue(encoding: Self.spec)
        try json.set("http", at: "/containers/0/ports/1/containerPort")
        let error = try #require(throws: DecodingError.self) { try json.decode(Spec.self) }
        guard case .typeMismatch(_, let context) = error else {
            Issue.record("expected typeMismatch, got \(error)")
            return
        }
        #expect(context.debugDescription.hasPrefix("at containers[0].ports[1].containerPort: expected an integer, found string \"http\""))
        #expect(context.codingPath.map(\.stringValue) == ["containers", "Index 0", "ports", "Index 1", "containerPort"])

        json["replicas"] = nil
        let missing = try #require(throws: DecodingError.self) { try json.decode(Spec.self) }
        guard case .keyNotFound(let key, _) = missing else {
            Issue.record("expected keyNotFound, got \(missing)")
            return
        }
        #expect(key.stringValue == "replicas")

        let notFound = try #require(throws: DecodingError.self) { try JSONValue.null.decode(String.self) }
        guard case .valueNotFound = notFound else {
            Issue.record("expected valueNotFound, got \(notFound)")
            return
        }
    }

    @Test func topLevelCollections() throws {
        #expect(try JSONValue(encoding: [1, 2, 3]) == [1, 2, 3])
        #expect(try JSONValue(encoding: ["k": [true]]) == ["k": [true]])
        #expect(try JSONValue(["k": [true]]).decode([String: [Bool]].self) == ["k": [true]])
        #expect(try JSONValue(encoding: Optional<Int>.none) == nil)
        #expect(try JSONValue.null.decode(Int?.self) == nil)
    }
}

extension JSONValue {
    /// Test shorthand for a value built from a literal.
    fileprivate init(_ value: JSONValue) { self = value }
}

private struct JSONCodingKeyForTest: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
