import Foundation
import RoperatorClient

/// Reads the Kubernetes protobuf encoding of the few built-in kinds that kubectl 1.33's generators
/// (`kubectl create configmap|secret|namespace`) send as protobuf, turning them into the JSON
/// objects the store works with. Other kinds get 415, which is what a server without protobuf says.
///
/// The encoding is the `k8s\0` magic followed by a `runtime.Unknown` whose `raw` field holds the
/// object's own message; field numbers are those of the Kubernetes `generated.proto` files.
enum ProtobufObjectDecoder {
    static let contentType = "application/vnd.kubernetes.protobuf"

    static func decode(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        guard bytes.count >= 4, bytes[0..<4].elementsEqual([0x6b, 0x38, 0x73, 0x00]) else {
            throw .badRequest("the protobuf body does not start with the Kubernetes magic number")
        }
        let envelope = try fields(ArraySlice(bytes.dropFirst(4)))
        guard let typeMeta = envelope.first(where: { $0.number == 1 })?.bytes,
              let raw = envelope.first(where: { $0.number == 2 })?.bytes
        else { throw .badRequest("the protobuf body has no type or object") }
        let type = try fields(typeMeta)
        let apiVersion = type.string(1) ?? ""
        let kind = type.string(2) ?? ""
        let object = try fields(raw)
        var json: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind)]
        if let metadata = object.first(where: { $0.number == 1 })?.bytes {
            json["metadata"] = try objectMeta(try fields(metadata))
        }
        switch (apiVersion, kind) {
        case ("v1", "ConfigMap"):
            if let data = try stringMap(object, 2) { json["data"] = data }
            if let binary = try bytesMap(object, 3) { json["binaryData"] = binary }
            if let immutable = object.bool(4) { json["immutable"] = .bool(immutable) }
        case ("v1", "Secret"):
            if let data = try bytesMap(object, 2) { json["data"] = data }
            if let type = object.string(3) { json["type"] = .string(type) }
            if let stringData = try stringMap(object, 4) { json["stringData"] = stringData }
            if let immutable = object.bool(5) { json["immutable"] = .bool(immutable) }
        case ("v1", "Namespace"):
            if let spec = object.first(where: { $0.number == 2 })?.bytes {
                let finalizers = try fields(spec).strings(1)
                if !finalizers.isEmpty { json["spec"] = ["finalizers": .array(finalizers.map { .string($0) })] }
            }
        default:
            throw APIError(
                code: 415, reason: "UnsupportedMediaType",
                message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf only for ConfigMap, Secret and Namespace; got \(apiVersion) \(kind))")
        }
        return json
    }

    private static func objectMeta(_ meta: [Field]) throws(APIError) -> JSONValue {
        var json: JSONValue = .emptyObject
        for (number, key) in [(1, "name"), (2, "generateName"), (3, "namespace"), (5, "uid"), (6, "resourceVersion")] {
            if let value = meta.string(number), !value.isEmpty { json[key] = .string(value) }
        }
        if let labels = try stringMap(meta, 11) { json["labels"] = labels }
        if let annotations = try stringMap(meta, 12) { json["annotations"] = annotations }
        var owners: [JSONValue] = []
        for field in meta where field.number == 13 {
            guard let bytes = field.bytes else { continue }
            let owner = try fields(bytes)
            var reference: JSONValue = [
                "kind": .string(owner.string(1) ?? ""), "name": .string(owner.string(3) ?? ""),
                "uid": .string(owner.string(4) ?? ""), "apiVersion": .string(owner.string(5) ?? ""),
            ]
            if let controller = owner.bool(6) { reference["controller"] = .bool(controller) }
            if let block = owner.bool(7) { reference["blockOwnerDeletion"] = .bool(block) }
            owners.append(reference)
        }
        if !owners.isEmpty { json["ownerReferences"] = .array(owners) }
        let finalizers = meta.strings(14)
        if !finalizers.isEmpty { json["finalizers"] = .array(finalizers.map { .string($0) }) }
        return json
    }

    private static func stringMap(_ message: [Field], _ number: Int) throws(APIError) -> JSONValue? {
        var map: [String: JSONValue] = [:]
        for field in message where field.number == number {
            guard let bytes = field.bytes else { continue }
            let entry = try fields(bytes)
            map[entry.string(1) ?? ""] = .string(entry.string(2) ?? "")
        }
        return map.isEmpty ? nil : .object(map)
    }

    private static func bytesMap(_ message: [Field], _ number: Int) throws(APIError) -> JSONValue? {
        var map: [String: JSONValue] = [:]
        for field in message where field.number == number {
            guard let bytes = field.bytes else { continue }
            let entry = try fields(bytes)
            let value = entry.first(where: { $0.number == 2 })?.bytes ?? []
            map[entry.string(1) ?? ""] = .string(Data(value).base64EncodedString())
        }
        return map.isEmpty ? nil : .object(map)
    }

    struct Field {
        var number: Int
        var varint: UInt64?
        var bytes: ArraySlice<UInt8>?
    }

    /// Splits one message into its fields.
    static func fields(_ data: ArraySlice<UInt8>) throws(APIError) -> [Field] {
        var result: [Field] = []
        var index = data.startIndex
        func readVarint() throws(APIError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < data.endIndex, shift < 64 else { throw .badRequest("truncated protobuf varint") }
                let byte = data[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while index < data.endIndex {
            let key = try readVarint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0:
                result.append(Field(number: number, varint: try readVarint()))
            case 1:
                guard data.endIndex - index >= 8 else { throw .badRequest("truncated protobuf field") }
                index += 8
            case 2:
                let length = Int(try readVarint())
                guard length >= 0, data.endIndex - index >= length else { throw .badRequest("truncated protobuf field") }
                result.append(Field(number: number, bytes: data[index..<(index + length)]))
                index += length
            case 5:
                guard data.endIndex - index >= 4 else { throw .badRequest("truncated protobuf field") }
                index += 4
            default:
                throw .badRequest("unsupported protobuf wire type \(key & 7)")
            }
        }
        return result
    }
}

extension [ProtobufObjectDecoder.Field] {
    func string(_ number: Int) -> String? {
        last(where: { $0.number == number })?.bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    func strings(_ number: Int) -> [String] {
        filter { $0.number == number }.compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    func bool(_ number: Int) -> Bool? {
        last(where: { $0.number == number })?.varint.map { $0 != 0 }
    }
}
