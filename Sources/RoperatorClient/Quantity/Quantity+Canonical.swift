extension Quantity {
    private static let decimalSuffixByPower: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
    private static let binarySuffixByPower = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    /// Kubernetes' canonical text for a normalized amount in `format`.
    static func canonicalText(coefficient: Int128, exponent: Int, format: Format) -> String {
        if coefficient == 0 { return "0" }
        if format == .binarySI, exponent >= 0,
            let integer = QuantityArithmetic.multiply(coefficient, byPowerOfTen: exponent), integer.magnitude >= 1024
        {
            var mantissa = integer
            var power = 0
            while power < 6, mantissa % 1024 == 0 {
                mantissa /= 1024
                power += 1
            }
            return String(mantissa) + binarySuffixByPower[power]
        }
        // Decimal: the largest exponent that is a multiple of three and leaves an integer mantissa.
        let power = exponent >= 0 ? exponent / 3 * 3 : -((-exponent + 2) / 3 * 3)
        guard let mantissa = QuantityArithmetic.multiply(coefficient, byPowerOfTen: exponent - power) else {
            return String(coefficient) + "e\(exponent)"
        }
        if format == .decimalExponent {
            return String(mantissa) + (power == 0 ? "" : "e\(power)")
        }
        return String(mantissa) + (decimalSuffixByPower[power] ?? "e\(power)")
    }
}
