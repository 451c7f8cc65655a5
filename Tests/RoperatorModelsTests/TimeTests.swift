import Foundation
import RoperatorClient
import RoperatorModels
import Testing

@Suite struct TimeTests {
    @Test(arguments: ["2026-12-04T17:25:00Z", "2026-12-04T18:25:00+01:00", "2026-12-04T17:25:00.5Z", "not a time"])
    func textRoundTripsExactly(_ text: String) throws {
        let time = try JSONValueDecoder().decode(Time.self, from: .string(text))
        #expect(try JSONValueEncoder().encode(time) == .string(text))
        let micro = try JSONValueDecoder().decode(MicroTime.self, from: .string(text))
        #expect(try JSONValueEncoder().encode(micro) == .string(text))
    }

    @Test func datesFormatAsKubernetesDoes() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
        #expect(Time(date).text == "2023-11-14T22:13:20Z")
        #expect(MicroTime(date).text == "2023-11-14T22:13:20.123456Z")
        #expect(Time(date).date == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func orderIsByInstant() {
        #expect(Time("2026-12-04T18:25:00+02:00") < Time("2026-12-04T17:25:00Z"))
        #expect(Time("garbage").date == nil)
    }
}
