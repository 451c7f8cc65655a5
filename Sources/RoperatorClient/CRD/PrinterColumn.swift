/// An `additionalPrinterColumns` entry: a column `kubectl get` shows for the resource.
public struct PrinterColumn: Sendable, Hashable {
    /// The column's value type.
    public enum ColumnType: String, Sendable, Hashable {
        case string, integer, number, boolean, date
    }

    /// Column header.
    public var name: String
    /// Value type.
    public var type: ColumnType
    /// JSONPath into the object, e.g. `.status.phase`.
    public var jsonPath: String
    /// Human-readable description of the column.
    public var description: String?
    /// `0` shows the column by default; higher priorities only with `-o wide`.
    public var priority: Int32?
    /// Display format, e.g. `name` or `date`.
    public var format: String?

    /// A column; see the properties.
    public init(
        name: String, type: ColumnType, jsonPath: String, description: String? = nil, priority: Int32? = nil,
        format: String? = nil
    ) {
        self.name = name
        self.type = type
        self.jsonPath = jsonPath
        self.description = description
        self.priority = priority
        self.format = format
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "type": .string(type.rawValue), "jsonPath": .string(jsonPath),
        ]
        if let description { object["description"] = .string(description) }
        if let priority { object["priority"] = .int(Int64(priority)) }
        if let format { object["format"] = .string(format) }
        return .object(object)
    }
}
