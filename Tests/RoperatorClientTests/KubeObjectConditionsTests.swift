import Foundation
import RoperatorClient
import Testing

@Suite struct KubeObjectConditionsTests {
    @Test func lastTransitionTimeChangesOnlyWithStatus() throws {
        var object = KubeObject(type: .configMap, namespace: "ns", name: "c")
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let t1 = t0.addingTimeInterval(60)
        let t2 = t0.addingTimeInterval(120)

        let changed1 = object.setCondition(StatusCondition(type: "Ready", status: .false, reason: "Starting"), now: t0)
        #expect(changed1)
        let first = try #require(object.condition(ofType: "Ready"))
        #expect(first.lastTransitionTime == "2023-11-14T22:13:20Z")

        // Same status, new reason: the transition time stays.
        let changed2 = object.setCondition(StatusCondition(type: "Ready", status: .false, reason: "Waiting"), now: t1)
        #expect(changed2)
        #expect(object.condition(ofType: "Ready")?.lastTransitionTime == "2023-11-14T22:13:20Z")
        #expect(object.condition(ofType: "Ready")?.reason == "Waiting")

        // Nothing changed: reports no change.
        let changed3 = object.setCondition(StatusCondition(type: "Ready", status: .false, reason: "Waiting"), now: t2)
        #expect(!changed3)

        // Status flips: the transition time moves.
        let changed4 = object.setCondition(StatusCondition(type: "Ready", status: .true, reason: "Done", observedGeneration: 3), now: t2)
        #expect(changed4)
        let ready = try #require(object.condition(ofType: "Ready"))
        #expect(ready.lastTransitionTime == "2023-11-14T22:15:20Z")
        #expect(ready.observedGeneration == 3)

        let changed5 = object.setCondition(StatusCondition(type: "Degraded", status: .unknown), now: t2)
        #expect(changed5)
        #expect(object.conditions.map(\.type) == ["Ready", "Degraded"])
        #expect(
            object.json[path: "status", "conditions"]?[1] == [
                "type": "Degraded", "status": "Unknown", "lastTransitionTime": "2023-11-14T22:15:20Z",
            ])

        let changed6 = object.removeCondition(ofType: "Ready")
        #expect(changed6)
        let changed7 = object.removeCondition(ofType: "Ready")
        #expect(!changed7)
        #expect(object.conditions.map(\.type) == ["Degraded"])
    }

    @Test func malformedConditionIsReported() {
        let error = #expect(throws: KubeObjectError.self) {
            try StatusCondition(json: ["type": "Ready", "status": "yes"])
        }
        #expect(error?.reason.contains("True, False or Unknown") == true)
    }
}
