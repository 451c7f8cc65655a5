/// A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: it
/// refuses what a Prometheus server would refuse, and returns the families it read.
struct PrometheusTextParser {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Family {
        var name: String
        var type: String
        var help: String?
        var samples: [Sample] = []
    }

    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// The families of `text`, by name.
    static func parse(_ text: String) throws -> [String: Family] {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Failure(line: 0, reason: "the text must end with a newline") }
        var families: [String: Family] = [:]
        var helps: [String: String] = [:]
        var finished: Set<String> = []
        var current: String?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                let name = String(parts[2])
                guard isMetricName(name) else { throw Failure(line: number, reason: "bad metric name '\(name)'") }
                if parts[1] == "HELP" {
                    helps[name] = parts.count > 3 ? String(parts[3]) : ""
                    continue
                }
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                    throw Failure(line: number, reason: "bad TYPE line")
                }
                guard families[name] == nil else { throw Failure(line: number, reason: "second TYPE line for \(name)") }
                if let current { finished.insert(current) }
                families[name] = Family(name: name, type: String(parts[3]), help: helps[name])
                current = name
                continue
            }
            let sample = try parseSample(line, number: number)
            guard let family = familyName(of: sample.name, in: families) else {
                throw Failure(line: number, reason: "sample \(sample.name) before its TYPE line")
            }
            guard !finished.contains(family) else {
                throw Failure(line: number, reason: "samples of \(family) are not together")
            }
            families[family]!.samples.append(sample)
        }
        for family in families.values where family.type == "histogram" {
            try checkHistogram(family)
        }
        return families
    }

    static func isMetricName(_ name: some StringProtocol) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }

    static func isLabelName(_ name: some StringProtocol) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    private static func familyName(of sample: String, in families: [String: Family]) -> String? {
        if families[sample] != nil { return sample }
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if families[base]?.type == "histogram" || families[base]?.type == "summary" { return base }
        }
        return nil
    }

    private static func parseSample(_ line: Substring, number: Int) throws -> Sample {
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard isMetricName(name) else { throw Failure(line: number, reason: "bad sample name '\(name)'") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = rest.prefix { $0 != "=" }
                guard isLabelName(label) else { throw Failure(line: number, reason: "bad label name '\(label)'") }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw Failure(line: number, reason: "label \(label) has no quoted value") }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let character = rest.popFirst() else { throw Failure(line: number, reason: "unterminated label value") }
                    if character == "\"" { break }
                    if character == "\\" {
                        switch rest.popFirst() {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw Failure(line: number, reason: "bad escape in label value")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: String(label)) == nil else {
                    throw Failure(line: number, reason: "label \(label) twice")
                }
                if rest.first == "," {
                    rest = rest.dropFirst()
                } else if rest.first != "}" {
                    throw Failure(line: number, reason: "expected , or } after a label")
                }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Failure(line: number, reason: "no space before the value") }
        let fields = rest.dropFirst().split(separator: " ")
        guard fields.count == 1 || fields.count == 2, let value = parseValue(fields[0]) else {
            throw Failure(line: number, reason: "bad value '\(rest.dropFirst())'")
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw Failure(line: number, reason: "bad timestamp") }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private static func parseValue(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    /// Buckets cumulative and ending in `+Inf`, which equals `_count`, per label set.
    private static func checkHistogram(_ family: Family) throws {
        var series: [[String: String]: [(le: Double, count: Double)]] = [:]
        var counts: [[String: String]: Double] = [:]
        for sample in family.samples {
            var labels = sample.labels
            if sample.name == family.name + "_bucket" {
                guard let le = labels.removeValue(forKey: "le"), let bound = parseValue(le[...]) else {
                    throw Failure(line: 0, reason: "\(family.name) bucket without le")
                }
                series[labels, default: []].append((bound, sample.value))
            } else if sample.name == family.name + "_count" {
                counts[labels] = sample.value
            }
        }
        guard !series.isEmpty else { throw Failure(line: 0, reason: "\(family.name) has no buckets") }
        for (labels, buckets) in series {
            guard buckets.last?.le == .infinity else { throw Failure(line: 0, reason: "\(family.name) lacks le=+Inf") }
            guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0.le < $1.le && $0.count <= $1.count }) else {
                throw Failure(line: 0, reason: "\(family.name) buckets not cumulative")
            }
            guard counts[labels] == buckets.last?.count else {
                throw Failure(line: 0, reason: "\(family.name)_count differs from the +Inf bucket")
            }
        }
    }
}
