/// A Kubernetes label selector: a conjunction of requirements on an object's labels.
///
/// Build one from the string syntax used in URLs and by kubectl, from the JSON form found in
/// objects (`matchLabels` / `matchExpressions`), or from requirements. Requirements are kept sorted,
/// so two selectors that mean the same thing compare equal and render the same ``description``.
///
/// ```swift
/// let selector = try LabelSelector(parsing: "app=web, tier in (frontend,cache), !legacy")
/// selector.matches(["app": "web", "tier": "cache"])   // true
/// selector.description                                // "app=web,!legacy,tier in (cache,frontend)"
/// ```
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// How a requirement compares the label with its values.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        /// The label is present and equal to the single value (`a=b`, `a==b`).
        case equals
        /// The label is absent or differs from the single value (`a!=b`).
        case notEquals
        /// The label is present and equal to one of the values (`a in (x,y)`).
        case `in`
        /// The label is absent or equal to none of the values (`a notin (x,y)`).
        case notIn
        /// The label is present (`a`).
        case exists
        /// The label is absent (`!a`).
        case doesNotExist
        /// The label is present and an integer greater than the single value (`a>3`).
        case greaterThan
        /// The label is present and an integer less than the single value (`a<3`).
        case lessThan
    }

    /// One condition on one label key.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The label key.
        public let key: String
        /// The comparison.
        public let `operator`: Operator
        /// The values, sorted and without duplicates; empty for `exists` and `doesNotExist`.
        public let values: [String]

        /// A validated requirement.
        ///
        /// - Throws: ``SelectorParseError`` when the key or a value breaks the Kubernetes label
        ///   rules, or the number of values does not suit the operator.
        public init(key: String, operator op: Operator, values: [String] = []) throws(SelectorParseError) {
            func fail(_ reason: String) -> SelectorParseError {
                SelectorParseError(kind: .label, selector: Requirement.render(key, op, values), position: nil, reason: reason)
            }
            if let problem = LabelValidation.keyProblem(key) { throw fail(problem) }
            let unique = Array(Set(values)).sorted()
            switch op {
            case .equals, .notEquals:
                guard unique.count == 1 else { throw fail("'\(Requirement.symbol(op))' needs exactly one value") }
            case .in, .notIn:
                guard !unique.isEmpty else { throw fail("'\(Requirement.symbol(op))' needs at least one value") }
            case .exists, .doesNotExist:
                guard unique.isEmpty else { throw fail("'\(Requirement.symbol(op))' takes no values") }
            case .greaterThan, .lessThan:
                guard unique.count == 1, Int64(unique[0]) != nil else {
                    throw fail("'\(Requirement.symbol(op))' needs exactly one integer value")
                }
            }
            if op != .greaterThan, op != .lessThan {
                for value in unique {
                    if let problem = LabelValidation.valueProblem(value) { throw fail(problem) }
                }
            }
            self.key = key
            self.operator = op
            self.values = unique
        }

        /// Whether `labels` satisfy this requirement.
        public func matches(_ labels: [String: String]) -> Bool {
            let label = labels[key]
            switch self.operator {
            case .equals, .in:
                guard let label else { return false }
                return values.contains(label)
            case .notEquals, .notIn:
                guard let label else { return true }
                return !values.contains(label)
            case .exists:
                return label != nil
            case .doesNotExist:
                return label == nil
            case .greaterThan, .lessThan:
                guard let label, let actual = Int64(label), let bound = Int64(values[0]) else { return false }
                return self.operator == .greaterThan ? actual > bound : actual < bound
            }
        }

        /// The canonical string form, e.g. `tier in (cache,frontend)`.
        public var description: String { Requirement.render(key, self.operator, values) }

        static func symbol(_ op: Operator) -> String {
            switch op {
            case .equals: "="
            case .notEquals: "!="
            case .in: "in"
            case .notIn: "notin"
            case .exists: "exists"
            case .doesNotExist: "!"
            case .greaterThan: ">"
            case .lessThan: "<"
            }
        }

        static func render(_ key: String, _ op: Operator, _ values: [String]) -> String {
            switch op {
            case .equals, .notEquals, .greaterThan, .lessThan:
                return key + symbol(op) + (values.first ?? "")
            case .in, .notIn:
                return "\(key) \(symbol(op)) (\(values.joined(separator: ",")))"
            case .exists:
                return key
            case .doesNotExist:
                return "!" + key
            }
        }
    }

    /// The requirements, sorted by key (then operator and values); all must hold.
    public let requirements: [Requirement]

    /// A selector from requirements; the empty list selects everything.
    public init(_ requirements: [Requirement] = []) {
        self.requirements = requirements.sorted { a, b in
            if a.key != b.key { return a.key < b.key }
            if a.operator != b.operator { return a.operator.rawValue < b.operator.rawValue }
            return a.values.lexicographicallyPrecedes(b.values)
        }
    }

    /// A selector requiring each label to equal the given value.
    ///
    /// - Throws: ``SelectorParseError`` when a key or value is not a valid label key or value.
    public init(matchLabels: [String: String]) throws(SelectorParseError) {
        var requirements: [Requirement] = []
        for (key, value) in matchLabels {
            requirements.append(try Requirement(key: key, operator: .equals, values: [value]))
        }
        self.init(requirements)
    }

    /// The selector that matches every object.
    public static let everything = LabelSelector()

    /// Whether this selector has no requirements (and so matches everything).
    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// Whether the object's labels satisfy every requirement.
    public func matches(_ object: KubeObject) -> Bool {
        matches(object.labels)
    }

    /// The canonical string form, as sent in a `labelSelector` query parameter; empty for
    /// ``everything``.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    /// A selector with the requirements of both.
    public func and(_ other: LabelSelector) -> LabelSelector {
        LabelSelector(requirements + other.requirements)
    }
}
