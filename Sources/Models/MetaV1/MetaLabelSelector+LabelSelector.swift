public import RoperatorClient

extension MetaLabelSelector {
    /// The JSON form of a parsed ``LabelSelector`` (equality requirements become `matchLabels`).
    ///
    /// ```swift
    /// spec.selector = MetaLabelSelector(try LabelSelector(parsing: "app=web"))
    /// ```
    public init(_ selector: LabelSelector) throws {
        self = try JSONValueDecoder().decode(MetaLabelSelector.self, from: selector.json ?? .emptyObject)
    }

    /// The selector as a ``LabelSelector``, which can match label sets.
    ///
    /// - Throws: ``SelectorParseError`` when an expression is malformed (an unknown operator, say).
    public func labelSelector() throws -> LabelSelector {
        try LabelSelector(json: try JSONValueEncoder().encode(self))
    }
}
