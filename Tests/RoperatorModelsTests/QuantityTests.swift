import RoperatorClient
import RoperatorModels
import Testing

@Suite struct QuantityTests {
    /// Input and the canonical form kube-apiserver stores for it.
    @Test(arguments: [
        ("0.5", "500m"), ("500m", "500m"), ("1000", "1k"), ("1500", "1500"), ("1.5k", "1500"), ("0", "0"),
        ("1Gi", "1Gi"), ("1.5Gi", "1536Mi"), ("1024Mi", "1Gi"), ("0.5Ki", "512"), ("1023Ki", "1023Ki"),
        ("1e3", "1e3"), ("1.5e3", "1500"), ("12E6", "12e6"), ("100m", "100m"), ("0.1", "100m"),
        ("1n", "1n"), ("0.1n", "1n"), ("-0.1n", "-1n"), ("+5", "5"), ("-5m", "-5m"), ("1.000", "1"),
        ("10G", "10G"), ("1000000u", "1"), ("0.0005", "500u"), ("1E", "1E"), ("2000E", "2e21"),
        ("-1.5Gi", "-1536Mi"), (".5", "500m"), ("5.", "5"),
    ])
    func canonicalFormMatchesKubernetes(_ input: String, _ canonical: String) throws {
        let quantity = try Quantity(input)
        #expect(quantity.canonical == canonical)
        #expect(quantity.description == input)
        #expect(try Quantity(canonical) == quantity)
    }

    @Test(arguments: ["", "m", "1.2.3", "1x", "1 Gi", "--1", "1e", "1Gib", "abc", "1e99999"])
    func malformedTextIsRefused(_ input: String) {
        #expect(throws: QuantityError.self) { try Quantity(input) }
    }

    @Test func equalityAndOrderAreByAmount() throws {
        #expect(try Quantity("0.5") == Quantity("500m"))
        #expect(try Quantity("1Gi") > Quantity("1G"))
        #expect(try Quantity("1Ki") == Quantity("1024"))
        #expect(try Quantity("-1") < Quantity("1m"))
        #expect(try Quantity("1e3") == Quantity("1k"))
        #expect(try Quantity("999m") < Quantity("1"))
        #expect(try Set([Quantity("0.5"), Quantity("500m")]).count == 1)
    }

    @Test func valuesRoundAwayFromZeroLikeKubernetes() throws {
        #expect(try Quantity("1.5").value == 2)
        #expect(try Quantity("0.0001").milliValue == 1)
        #expect(try Quantity("1Gi").value == 1_073_741_824)
        #expect(Quantity(1024, format: .binarySI).text == "1Ki")
        #expect(Quantity(milli: 1500).text == "1500m")
    }

    @Test func jsonKeepsTheTextAndAcceptsNumbers() throws {
        let quantity = try JSONValueDecoder().decode(Quantity.self, from: "0.50")
        #expect(try JSONValueEncoder().encode(quantity) == "0.50")
        #expect(try JSONValueDecoder().decode(Quantity.self, from: 2) == Quantity("2"))
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Quantity.self, from: "2x") }
    }

    /// Random amounts in every format: the canonical text parses back to the same amount, is a
    /// fixed point, and orders like the amounts' doubles.
    @Test func canonicalFormIsStableForRandomAmounts() throws {
        var rng = SplitMix(seed: 0x5EED)
        let suffixes = ["", "n", "u", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", "e-3", "e2", "E5"]
        var previous: Quantity?
        for _ in 0..<2000 {
            let whole = Int(rng.next() % 100_000)
            let fraction = rng.next() % 3 == 0 ? "." + String(rng.next() % 1000) : ""
            let sign = rng.next() % 5 == 0 ? "-" : ""
            let text = sign + String(whole) + fraction + suffixes[Int(rng.next() % UInt64(suffixes.count))]
            let quantity = try Quantity(text)
            let canonical = try Quantity(quantity.canonical)
            #expect(canonical == quantity, "\(text) → \(quantity.canonical)")
            #expect(canonical.canonical == quantity.canonical, "\(text)")
            if let previous, abs(previous.doubleValue - quantity.doubleValue) > 1e-6 * abs(quantity.doubleValue) + 1e-9 {
                #expect((previous < quantity) == (previous.doubleValue < quantity.doubleValue), "\(previous) vs \(text)")
            }
            previous = quantity
        }
    }
}

/// A small deterministic generator, so a failure reproduces.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
