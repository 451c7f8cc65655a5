import Foundation
import Testing

@testable import RoperatorAPIServer

/// The uids the store gives new objects: random version 4 UUIDs in lower case.
@Suite struct ObjectUIDTests {
    @Test func uidsAreLowerCaseVersion4UUIDs() {
        let pattern = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
        for _ in 0..<1_000 {
            let uid = Clock.uid()
            #expect(uid.wholeMatch(of: pattern) != nil, "\(uid)")
            // Foundation reads it back as the same UUID.
            #expect(UUID(uuidString: uid)?.uuidString.lowercased() == uid)
        }
    }

    @Test func uidsDoNotRepeat() {
        let uids = (0..<10_000).map { _ in Clock.uid() }
        #expect(Set(uids).count == uids.count)
    }

    @Test func formatPlacesEveryNibble() {
        #expect(
            Clock.formatUUID(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210)
                == "01234567-89ab-cdef-fedc-ba9876543210")
        #expect(Clock.formatUUID(high: 0, low: 0) == "00000000-0000-0000-0000-000000000000")
    }
}
