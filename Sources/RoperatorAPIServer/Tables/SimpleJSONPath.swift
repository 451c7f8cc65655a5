import Foundation
import RoperatorClient

/// The JSONPath subset that `additionalPrinterColumns` use in practice: `.a.b`, `.a[0]`, `.a[*]`
/// (first match) and `.a[?(@.type=="Ready")].status`.
struct SimpleJSONPath: Sendable {
    enum Step: Sendable {
        case field(String)
        case index(Int)
        case all
        case filter(field: String, equals: String)
    }

    let steps: [Step]

    /// `nil` when the path uses syntax outside the subset.
    init?(_ path: String) {
        var text = Substring(path.trimmingSpaces())
        if text.hasPrefix("{") && text.hasSuffix("}") { text = text.dropFirst().dropLast() }
        if text.hasPrefix("$") { text = text.dropFirst() }
        var steps: [Step] = []
        while !text.isEmpty {
            if text.hasPrefix(".") {
                text = text.dropFirst()
                let end = text.firstIndex { $0 == "." || $0 == "[" } ?? text.endIndex
                guard end > text.startIndex else { return nil }
                steps.append(.field(String(text[..<end])))
                text = text[end...]
            } else if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]") else { return nil }
                let inner = text[text.index(after: text.startIndex)..<close].trimming(" ")
                text = text[text.index(after: close)...]
                if inner == "*" {
                    steps.append(.all)
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else if inner.hasPrefix("?(@."), inner.hasSuffix(")"), let equals = inner.range(of: "==") {
                    let field = inner[inner.index(inner.startIndex, offsetBy: 4)..<equals.lowerBound].trimming(" ")
                    var value = inner[equals.upperBound..<inner.index(before: inner.endIndex)].trimming(" ")
                    if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                        value = String(value.dropFirst().dropLast())
                    }
                    steps.append(.filter(field: field, equals: value))
                } else if inner.hasPrefix("'") && inner.hasSuffix("'") && inner.count >= 2 {
                    steps.append(.field(String(inner.dropFirst().dropLast())))
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    /// The first value the path reaches in `value`, or `nil`.
    func first(in value: JSONValue) -> JSONValue? {
        var current: [JSONValue] = [value]
        for step in steps {
            var next: [JSONValue] = []
            for candidate in current {
                switch step {
                case .field(let name):
                    if let child = candidate[name] { next.append(child) }
                case .index(let index):
                    if let array = candidate.arrayValue {
                        let resolved = index < 0 ? array.count + index : index
                        if array.indices.contains(resolved) { next.append(array[resolved]) }
                    }
                case .all:
                    next += candidate.arrayValue ?? candidate.objectValue.map { Array($0.values) } ?? []
                case .filter(let field, let equals):
                    for element in candidate.arrayValue ?? [] {
                        let fieldValue = element[field]
                        let text = fieldValue?.stringValue ?? fieldValue.map { $0.serialized() }
                        if text == equals { next.append(element) }
                    }
                }
            }
            current = next
        }
        return current.first
    }
}

extension StringProtocol {
    /// The text without leading and trailing copies of `character`.
    func trimming(_ character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
