import RoperatorClient
import Testing

@Suite struct CompactObjectTests {
    @Test("an object decodes back exactly, whatever it holds")
    func roundTrip() throws {
        let json = try JSONValue(
            parsing: #"""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"caf\u00e9 ☕","namespace":"default",
                "labels":{"a":"1","b":""},"ownerReferences":[{"uid":"u","controller":true}]},
                "data":{"quote":"\"x\"\n\t","big":"9223372036854775807"},"n":[1,-2,0.5,1e300,true,false,null,[],{}]}
                """#)
        let object = KubeObject(json)
        let compact = CompactObject(object)
        #expect(compact.object == object)
        #expect(compact.byteCount == json.serializedBytes(sortedKeys: true).count)
        #expect(try JSONValue(parsing: compact.bytes) == json)
    }
}

extension CompactObjectTests {
    @Test("droppingManagedFields leaves out metadata.managedFields and nothing else")
    func dropsManagedFields() throws {
        let json = try JSONValue(
            parsing: #"""
                {"kind":"ConfigMap","metadata":{"name":"a","managedFields":[{"manager":"m","fieldsV1":{"f:data":{}}}],
                "labels":{"x":"y"}},"data":{"managedFields":"kept"}}
                """#)
        let compact = CompactObject(KubeObject(json), droppingManagedFields: true)
        var expected = json
        expected[path: "metadata", "managedFields"] = nil
        #expect(compact.object.json == expected)
        #expect(compact.byteCount == expected.serializedBytes(sortedKeys: false).count)

        let without = try JSONValue(parsing: #"{"kind":"ConfigMap","metadata":{"name":"b"}}"#)
        #expect(CompactObject(KubeObject(without), droppingManagedFields: true).object.json == without)
    }
}
