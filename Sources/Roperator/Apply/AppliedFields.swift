import RoperatorClient

/// The record of which fields the operator set on a child, kept on the child itself in the
/// annotation `roperator.io/applied-fields`, so that a field the handler stops setting is removed
/// (desired state means desired) — also after the operator restarted.
///
/// The record is the *shape* of the desired object: its object members as they were set, arrays
/// as arrays of shapes, every scalar as `1` — names, not values, so it stays small. Left out are
/// the fields the runtime always sets (`apiVersion`, `kind`, name, namespace, owner references,
/// the tracking labels, this annotation) and `status`.
///
/// A field is removed when the record names it and the desired object no longer does. Fields
/// only the server or others set are never in the record, so defaulting causes no write. A child
/// written before records existed (or whose record someone deleted) loses nothing: removals start
/// with the next write that carries a record.
///
/// ```swift
/// // recorded: {"data":{"a":1,"b":1}}   desired data: {"a": "x"}
/// AppliedFields.removed(recorded: recorded, desired: desired)   // [data.b]
/// ```
package enum AppliedFields {
    /// The annotation holding the record.
    static let annotation = "roperator.io/applied-fields"

    /// One step of a field path.
    enum Step: Sendable, Hashable, CustomStringConvertible {
        case member(String)
        case index(Int)

        var description: String {
            switch self {
            case .member(let name): name
            case .index(let index): "[\(index)]"
            }
        }
    }

    /// A path such as `metadata.labels.app` or `spec.containers[0].env`.
    typealias Path = [Step]

    /// `object` with its record set to the shape of `object` itself.
    package static func recording(_ object: KubeObject) -> KubeObject {
        recording(object, record: recordText(of: object.json))
    }

    /// `object` with `record` (its ``recordText(of:)``, worked out earlier) as its record.
    static func recording(_ object: KubeObject, record: String) -> KubeObject {
        var result = object
        result.json[path: "metadata", "annotations", annotation] = .string(record)
        return result
    }

    /// The members the record leaves out: at the top and in `metadata`.
    private static let omittedTopLevel: Set<String> = ["apiVersion", "kind", "status"]
    private static let omittedMetadata: Set<String> = Set(["name", "namespace", "ownerReferences"]).union(
        ChildDiff.serverOwnedMetadata)

    /// The shape of what the operator sets in `object` (see the type's description), as a tree:
    /// the definition ``recordText(of:)`` is held to byte for byte (the runtime writes the text).
    static func shape(of object: JSONValue) -> JSONValue {
        guard var members = object.objectValue else { return .object([:]) }
        for key in omittedTopLevel { members[key] = nil }
        if var metadata = members["metadata"]?.objectValue {
            for key in omittedMetadata { metadata[key] = nil }
            if var labels = metadata["labels"]?.objectValue {
                labels[TrackingLabels.parentUID] = nil
                labels[TrackingLabels.operatorName] = nil
                metadata["labels"] = labels.isEmpty ? nil : .object(labels)
            }
            if var annotations = metadata["annotations"]?.objectValue {
                annotations[annotation] = nil
                metadata["annotations"] = annotations.isEmpty ? nil : .object(annotations)
            }
            members["metadata"] = metadata.isEmpty ? nil : .object(metadata)
        }
        return shapeOfValue(.object(members))
    }

    private static func shapeOfValue(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.mapValues(shapeOfValue))
        case .array(let elements): .array(elements.map(shapeOfValue))
        default: .int(1)
        }
    }

    /// `shape(of: object).serialized()`, written straight from `object` without building the
    /// shape: the record of every desired child is worked out on every sync.
    static func recordText(of object: JSONValue) -> String {
        guard case .object(let members) = object else { return "{}" }
        var writer = AppliedFieldsRecordWriter { level, key in
            switch level {
            case .top:
                if omittedTopLevel.contains(key) { return .skip }
                return key == "metadata" ? .descend(.metadata) : .keep
            case .metadata:
                if omittedMetadata.contains(key) { return .skip }
                if key == "labels" { return .descend(.labels) }
                return key == "annotations" ? .descend(.annotations) : .keep
            case .labels:
                return key == TrackingLabels.parentUID || key == TrackingLabels.operatorName ? .skip : .keep
            case .annotations:
                return key == annotation ? .skip : .keep
            }
        }
        writer.write(members)
        return writer.text
    }

    /// The record on `observed`, `nil` when it has none.
    ///
    /// - Throws: `JSONParseError` when the annotation is not JSON (someone edited it).
    static func recorded(on observed: KubeObject) throws -> JSONValue? {
        guard let text = observed.annotations[annotation] else { return nil }
        return try JSONValue(parsing: text)
    }

    /// The paths the record on `observed` names that `desired` no longer sets; empty when
    /// `observed` has no record.
    ///
    /// A converged child's record is the shape of the desired object written by this same code,
    /// so the two texts are compared first (`record` is the desired object's, when already
    /// worked out) and the record is parsed only when they differ.
    ///
    /// - Throws: `JSONParseError` when the annotation is not JSON (someone edited it).
    static func removed(on observed: KubeObject, desired: JSONValue, record: String? = nil) throws -> [Path] {
        guard let text = observed.json["metadata"]?["annotations"]?[annotation]?.stringValue else { return [] }
        if text == record ?? recordText(of: desired) { return [] }
        return removed(recorded: try JSONValue(parsing: text), desired: desired)
    }

    /// The paths the record names that `desired` no longer sets (absent or `null`).
    ///
    /// Arrays are followed element by element only when both have the same length: otherwise
    /// the array differs anyway and is written as a whole.
    static func removed(recorded: JSONValue, desired: JSONValue) -> [Path] {
        var paths: [Path] = []
        collect(recorded, desired, path: [], into: &paths)
        return paths
    }

    private static func collect(_ recorded: JSONValue, _ desired: JSONValue, path: Path, into paths: inout [Path]) {
        switch recorded {
        case .object(let members):
            guard let wanted = desired.objectValue else { return }
            for (key, shape) in members.sorted(by: { $0.key < $1.key }) {
                guard let value = wanted[key], !value.isNull else {
                    paths.append(path + [.member(key)])
                    continue
                }
                collect(shape, value, path: path + [.member(key)], into: &paths)
            }
        case .array(let shapes):
            guard let elements = desired.arrayValue, elements.count == shapes.count else { return }
            for (index, shape) in shapes.enumerated() {
                collect(shape, elements[index], path: path + [.index(index)], into: &paths)
            }
        default:
            return
        }
    }

    /// `body` without the fields at `paths` (paths through missing members do nothing).
    static func remove(_ paths: [Path], from body: JSONValue) -> JSONValue {
        var result = body
        for path in paths { remove(path[...], from: &result) }
        return result
    }

    private static func remove(_ path: ArraySlice<Step>, from value: inout JSONValue) {
        guard let step = path.first else { return }
        let rest = path.dropFirst()
        switch (step, value) {
        case (.member(let key), .object(var members)):
            if rest.isEmpty {
                members[key] = nil
            } else if var child = members[key] {
                remove(rest, from: &child)
                members[key] = child
            }
            value = .object(members)
        case (.index(let index), .array(var elements)) where elements.indices.contains(index):
            guard !rest.isEmpty else { return }
            remove(rest, from: &elements[index])
            value = .array(elements)
        default:
            return
        }
    }

    /// A path as text, e.g. `metadata.labels.app` or `spec.containers[0].env`.
    static func describe(_ path: Path) -> String {
        var text = ""
        for step in path {
            switch step {
            case .member(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
