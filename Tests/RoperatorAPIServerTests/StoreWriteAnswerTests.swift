import RoperatorClient
import Testing

@testable import RoperatorAPIServer

/// A write's answer shares its watch event's serialized object when the event carries exactly the
/// object answered, and only then.
@Suite("Store: a write's answer and its event")
struct StoreWriteAnswerTests {
    let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a"], "data": ["k": "v"]]

    @Test func createAnswersWithTheEventsObject() throws {
        let f = StoreFixture()
        let written = try f.store.creating(f.configMaps, namespace: "default", object: configMap, options: WriteOptions())
        let event = try #require(written.event)
        #expect(event.type == .added)
        #expect(event.object == written.object)
        #expect(try JSONValue(parsing: event.objectJSON) == written.object)
        #expect(event.resourceVersion == Int64(written.object[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
    }

    @Test func replaceAndPatchAnswerWithTheirEvents() throws {
        let f = StoreFixture()
        let created = try f.store.create(f.configMaps, namespace: "default", object: configMap)
        var changed = created
        changed["data"] = ["k": "w"]
        let replaced = try f.store.replacing(
            f.configMaps, namespace: "default", name: "a", object: changed, subresource: .main, options: WriteOptions())
        #expect(replaced.event?.type == .modified)
        #expect(replaced.event?.object == replaced.object)
        let (patched, event) = try f.store.patching(
            f.configMaps, namespace: "default", name: "a", type: .merge, body: f.bytes(#"{"data":{"k":"x"}}"#), subresource: .main,
            options: WriteOptions())
        #expect(event?.object == patched.object)
        #expect(patched.object[path: "data", "k"] == "x")
    }

    /// No event to share: a dry run and a write that changes nothing publish none.
    @Test func writesThatPublishNothingAnswerOnTheirOwn() throws {
        let f = StoreFixture()
        let dryRun = try f.store.creating(f.configMaps, namespace: "default", object: configMap, options: WriteOptions(dryRun: true))
        #expect(dryRun.event == nil)
        let created = try f.store.create(f.configMaps, namespace: "default", object: configMap)
        let unchanged = try f.store.replacing(
            f.configMaps, namespace: "default", name: "a", object: created, subresource: .main, options: WriteOptions())
        #expect(unchanged.event == nil)
        #expect(unchanged.object[path: "metadata", "resourceVersion"] == created[path: "metadata", "resourceVersion"])
    }

    /// An event is shared only with an answer equal to its object (an answer presented in another
    /// version, say), and only once.
    @Test func anEventIsSharedOnlyWithItsOwnObject() throws {
        let f = StoreFixture()
        var presented = configMap
        presented["apiVersion"] = "v2"
        let (other, same, again) = try f.store.locked { s throws(APIError) in
            s.lastPublished = StoreEvent(type: .added, object: configMap, resourceVersion: 7)
            let other = s.publishedEvent(carrying: presented)
            s.lastPublished = StoreEvent(type: .added, object: configMap, resourceVersion: 7)
            let same = s.publishedEvent(carrying: configMap)
            return (other, same, s.publishedEvent(carrying: configMap))
        }
        #expect(other == nil)
        #expect(same?.resourceVersion == 7)
        #expect(again == nil)
    }
}
