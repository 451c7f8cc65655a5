/// The messages of the Kubernetes built-in API as the protobuf codec needs them: for each message,
/// which field number carries which JSON member and how it is encoded; and which message each
/// apiVersion and kind stands for.
///
/// Parsed once, on first use, from ``table``, which `Scripts/generate-protobuf-tables.py` writes
/// from the Kubernetes 1.33 `generated.proto` files (a text table compiles in no time, where the
/// same facts as Swift array literals take the type checker minutes).
struct ProtobufSchema: Sendable {
    /// Messages whose JSON form is not an object of their fields.
    enum Special: String, Sendable {
        /// `resource.Quantity`: a string (`"500m"`).
        case quantity
        /// `intstr.IntOrString`: `type`/`intVal`/`strVal`, an integer or a string in JSON.
        case intOrString = "intorstring"
        /// `meta.v1.Time`: seconds (and nanos, ignored), RFC 3339 with whole seconds in JSON.
        case time
        /// `meta.v1.MicroTime`: seconds and nanos, RFC 3339 with six fractional digits in JSON.
        case microTime = "microtime"
        /// `meta.v1.Duration`: nanoseconds, a Go duration string (`"1h0m0s"`) in JSON.
        case duration
        /// `meta.v1.FieldsV1`: the raw JSON of managed fields.
        case fieldsV1 = "fieldsv1"
        /// `runtime.RawExtension`: raw bytes, an embedded object in JSON.
        case rawExtension = "rawextension"
        /// `runtime.Unknown`: an enveloped object.
        case unknown
        /// A named Go slice wrapped in a message (`ExtraValue`, `Verbs`): a JSON array of field 1.
        case array
    }

    enum Scalar: String, Sendable {
        case string, int32, int64, bool, bytes
    }

    enum Value: Sendable {
        case scalar(Scalar)
        /// An index into ``messages``.
        case message(Int)
    }

    enum FieldType: Sendable {
        case value(Value)
        case map(key: Scalar, value: Value)
    }

    struct Field: Sendable {
        var number: Int
        /// The JSON member name ("." when ``inline``).
        var name: String
        var type: FieldType
        var repeated: Bool
        /// A Go pointer: an explicit zero means something and is kept.
        var pointer: Bool
        /// A Go value with `omitempty`: a zero on the wire means unset and gives no JSON member.
        var dropsZero: Bool
        /// A Go embedded struct: its members sit in the enclosing JSON object.
        var inline: Bool
    }

    struct Message: Sendable {
        /// The proto name without its common prefix (`apps.v1.Deployment`, `meta.v1.ObjectMeta`).
        var name: String
        var special: Special?
        /// Ordered by field number, the order in which Kubernetes writes them.
        var fields: [Field]
        var fieldIndexByNumber: [Int: Int]

        func field(number: Int) -> Field? {
            fieldIndexByNumber[number].map { fields[$0] }
        }
    }

    let messages: [Message]
    /// `"<apiVersion> <kind>"` → message index.
    private let kinds: [String: Int]

    /// The message of a kind (`apps/v1`, `Deployment`), or `nil` when it is not a built-in kind
    /// (custom resources are never protobuf).
    func message(apiVersion: String, kind: String) -> Int? {
        kinds["\(apiVersion) \(kind)"]
    }

    /// The built-in API of Kubernetes 1.33.
    static let builtIn = ProtobufSchema(parsing: table)

    /// Reads the generated table; the table is part of the source, so a malformed line is a bug.
    init(parsing text: String) {
        var messages: [Message] = []
        var kinds: [String: Int] = [:]
        func value(_ code: Substring) -> Value {
            if code.first == "#", let index = Int(code.dropFirst()) { return .message(index) }
            guard let scalar = Scalar(rawValue: String(code)) else { preconditionFailure("protobuf table: bad type \(code)") }
            return .scalar(scalar)
        }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            switch parts.first {
            case "M":
                messages.append(
                    Message(
                        name: String(parts[1]), special: parts.count > 2 ? Special(rawValue: String(parts[2])) : nil,
                        fields: [], fieldIndexByNumber: [:]))
            case "F":
                guard parts.count == 5, let number = Int(parts[1]), !messages.isEmpty else {
                    preconditionFailure("protobuf table: bad field line \(line)")
                }
                let type: FieldType
                if parts[3].hasPrefix("map:") {
                    let codes = parts[3].split(separator: ":")
                    guard case .scalar(let key) = value(codes[1]) else { preconditionFailure("protobuf table: bad map \(line)") }
                    type = .map(key: key, value: value(codes[2]))
                } else {
                    type = .value(value(parts[3]))
                }
                let flags = parts[4]
                var message = messages.removeLast()
                message.fieldIndexByNumber[number] = message.fields.count
                message.fields.append(
                    Field(
                        number: number, name: String(parts[2]), type: type, repeated: flags.contains("r"),
                        pointer: flags.contains("p"), dropsZero: flags.contains("z"), inline: flags.contains("i")))
                messages.append(message)
            case "K":
                guard parts.count == 4, let index = Int(parts[3].dropFirst()) else {
                    preconditionFailure("protobuf table: bad kind line \(line)")
                }
                kinds["\(parts[1]) \(parts[2])"] = index
            default:
                preconditionFailure("protobuf table: bad line \(line)")
            }
        }
        self.messages = messages
        self.kinds = kinds
    }
}
