import RoperatorClient
import Testing

/// `CompactObject.scan(droppingManagedFields:)` must keep exactly what decoding the object and
/// dropping `metadata.managedFields` keeps, and read the indexed fields as `KubeObject` does.
@Suite struct CompactScanTests {
    static let managed = #"[{"manager":"m","operation":"Apply","fieldsV1":{"f:data":{"f:k":{}}}}]"#

    /// Objects that put `managedFields` everywhere it can be, and the other shapes a scan must take.
    static let objects: [String] = [
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"managedFields":\#(managed),"name":"first","uid":"u1"},"data":{"k":"v"}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"middle","managedFields":\#(managed),"uid":"u2"}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"last","resourceVersion":"7","managedFields":\#(managed)}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"managedFields":\#(managed)}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"managedFields":[],"name":"twice","managedFields":\#(managed)}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","managedFields":[],"managedFields":\#(managed)}}"#,
        #"{ "apiVersion" : "v1" , "kind":"ConfigMap", "metadata" : { "name" : "spaced" , "managedFields" : [ ] } , "data":{} }"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"escaped","managed\u0046ields":[1]}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"nested"},"data":{"managedFields":"kept"},"spec":{"metadata":{"managedFields":[]}}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"old"},"metadata":{"name":"new","managedFields":[]}}"#,
        #"{"apiVersion":1,"kind":null,"metadata":{"name":7,"generation":2.0,"labels":{"roperator.io/parent-uid":"a","roperator.io/parent-uid":5}}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"labels":["roperator.io/parent-uid"],"ownerReferences":[{"uid":"x"},7]}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"labels":{"roperator.io\/parent-uid":"escaped"},"generation":1.5}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":"not an object"}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"e","annotations":{"r":"{\"a\":[\"\\\\\"]}\/\b\f\n\r\t"}},"data":{"s":"\ud83d\ude00 \u00e9 \ud800 x"}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap"}"#,
        #"""
        {"apiVersion":"example.com/v1","kind":"Parent","metadata":{"name":"caf\u00e9 ☕","namespace":"ns","uid":"p",
        "resourceVersion":"42","generation":3,"deletionTimestamp":"2026-12-06T00:00:00Z","finalizers":["f"],
        "labels":{"app":"x","roperator.io/parent-uid":"q"},"annotations":{"a":"\"quoted\"\n"},
        "ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"o1"},
        {"apiVersion":"v1","kind":"B","name":"b","uid":"o2","controller":true}],
        "managedFields":\#(managed),"creationTimestamp":"2026-12-06T00:00:00Z"},
        "spec":{"n":[1,-2,0.5,1e300,true,false,null,[],{}]},"status":{}}
        """#,
    ]

    @Test("the compact form decodes to the object without metadata.managedFields", arguments: objects)
    func compactMatchesDecoding(text: String) throws {
        let original = try JSONValue(parsing: text)
        var expected = original
        if case .object = expected["metadata"] { expected[path: "metadata", "managedFields"] = nil }
        let scan = try #require(try Self.scan(text))
        #expect(scan.compact.object.json == expected)
        #expect(try JSONValue(parsing: scan.compact.bytes) == expected)
        if expected == original {
            #expect(scan.compact.bytes == Array(text.utf8), "nothing to leave out: the bytes as they came")
        } else {
            #expect(scan.compact.byteCount < text.utf8.count)
        }
    }

    @Test("the scan reads the indexed fields as the decoded object does", arguments: objects)
    func metadataMatchesDecoding(text: String) throws {
        let object = KubeObject(try JSONValue(parsing: text))
        let label = "roperator.io/parent-uid"
        let scan = try #require(try Self.scan(text, label: label))
        #expect(scan.apiVersion == object.apiVersion)
        #expect(scan.kind == object.kind)
        let metadata = scan.metadata
        #expect(metadata.name == object.name)
        #expect(metadata.namespace == object.namespace)
        #expect(metadata.uid == object.uid)
        #expect(metadata.resourceVersion == object.resourceVersion)
        #expect(metadata.generation == object.generation)
        #expect(metadata.deletionTimestamp == object.deletionTimestamp)
        #expect(metadata.isBeingDeleted == object.isBeingDeleted)
        #expect(metadata.label == object.json["metadata"]?["labels"]?[label]?.stringValue)
        #expect(metadata.ownerReferences == object.ownerReferences)
        #expect(metadata.controllerReference == object.controllerReference)
        #expect(try Self.scan(text)?.metadata.label == nil, "no label asked for, none read")
    }

    @Test("the resourceVersion alone is read as the decoded object has it", arguments: objects)
    func resourceVersionMatchesDecoding(text: String) throws {
        let object = KubeObject(try JSONValue(parsing: text))
        let version = try Array(text.utf8).withUnsafeBytes { bytes in try CompactObject.resourceVersion(in: bytes) }
        #expect(version == object.resourceVersion)
    }

    @Test("reading the resourceVersion: not an object is nil, malformed JSON is an error")
    func resourceVersionOfOtherValues() throws {
        func version(_ text: String) throws -> String? {
            try Array(text.utf8).withUnsafeBytes { bytes in try CompactObject.resourceVersion(in: bytes) }
        }
        #expect(try version(#"[{"metadata":{"resourceVersion":"1"}}]"#) == nil)
        #expect(try version(#"{"metadata":{"resourceVersion":5}}"#) == nil)
        #expect(try version(#" {"kind":"Status","metadata":{},"code":409} "#) == nil)
        for malformed in [#"{"metadata":{"resourceVersion":"1"}"#, #"{"metadata":{"resourceVersion":"1"}} x"#, #"{"a":[1,]}"#] {
            #expect(throws: JSONParseError.self, "\(malformed)") { try version(malformed) }
        }
    }

    @Test("a value that is not an object is no scan; malformed JSON is an error")
    func notAnObject() throws {
        #expect(try Self.scan(#"[1,2]"#) == nil)
        #expect(try Self.scan(#""text""#) == nil)
        #expect(try Self.scan("null") == nil)
        for malformed in [
            #"{"metadata":{"name":"a"}"#, #"{"metadata":{"name":"a\q"}}"#, #"{"a":1} x"#, "{\"a\":\"\u{01}\"}", "[1e400]", "[1,]",
            #"{"metadata":{"annotations":{"a":"\x"}}}"#, #"{"data":"\u12"}"#, #"{"data":"\u12g4"}"#, #"{"data":"\"#,
        ] {
            #expect(throws: JSONParseError.self, "\(malformed)") { try Self.scan(malformed) }
        }
    }

    static func scan(_ text: String, label: String? = nil) throws -> CompactObject.Scan? {
        try Array(text.utf8).withUnsafeBytes { bytes in try CompactObject.scan(droppingManagedFields: bytes, readingLabel: label) }
    }
}
