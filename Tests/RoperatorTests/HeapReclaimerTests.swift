import Testing

@testable import Roperator

@Suite("HeapReclaimer")
struct HeapReclaimerTests {
    /// Feeds the sync counts of successive readings; returns the readings that trimmed.
    private func trims(_ counts: [Int], start: Int = 0) -> [Int] {
        var state = HeapReclaimer.State(lastCount: start, trimmedAt: start)
        return counts.indices.filter { HeapReclaimer.shouldTrim(count: counts[$0], state: &state) }
    }

    @Test("a burst is trimmed once, when it is over")
    func burstThenQuiet() {
        // Syncs during readings 0-2, none after: one trim at the first quiet reading.
        #expect(trims([300, 900, 1_500, 1_500, 1_500, 1_500]) == [3])
    }

    @Test("a steady trickle of syncs never trims")
    func trickle() {
        #expect(trims(Array(stride(from: 10, through: 2_000, by: 10))).isEmpty)
    }

    @Test("a small burst is not worth a trim")
    func smallBurst() {
        #expect(trims([100, 200, 200, 200]).isEmpty)
        // Small bursts add up: the trim comes once 256 syncs ended since the last one.
        #expect(trims([100, 100, 200, 200, 300, 300]) == [5])
    }

    @Test("each burst after a quiet spell is trimmed after")
    func twoBursts() {
        #expect(trims([400, 400, 400, 800, 800]) == [1, 4])
    }

    @Test("trimming the heaps leaves live memory intact")
    func trimKeepsLiveMemory() {
        var kept: [[UInt8]] = []
        for index in 0..<2_000 {
            let block = [UInt8](repeating: UInt8(index % 251), count: 4_096)
            if index.isMultiple(of: 2) { kept.append(block) }
        }
        HeapReclaimer.trim()
        #expect(kept.enumerated().allSatisfy { offset, block in block.allSatisfy { $0 == UInt8((offset * 2) % 251) } })
    }
}
