import RoperatorClient

/// A property a fuzz input broke: which check, and what went wrong.
///
/// The fuzz targets in `Fuzz/` trap on it (so libFuzzer keeps the input); the regression tests
/// in this target replay committed inputs and expect none.
struct FuzzCheckFailure: Error, CustomStringConvertible {
    let check: String
    let reason: String

    var description: String { "\(check): \(reason)" }
}

/// The properties each fuzz target checks, shared by the libFuzzer targets (`Fuzz/`, which links
/// this file) and the regression tests replaying `Fuzz/Corpus/*` and `Fuzz/Regressions/*`.
///
/// Every check accepts any bytes. Rejecting input with the parser's own typed error is fine;
/// crashing, hanging or breaking a round trip is not.
enum FuzzChecks {
    /// The targets, as `Scripts/fuzz.sh` and the folders under `Fuzz/Corpus/` name them.
    static let names = ["json", "yaml", "kubeconfig", "selectors", "patch"]

    /// Runs the check called `name` (one of ``names``) on `bytes`.
    static func run(_ name: String, _ bytes: [UInt8]) throws(FuzzCheckFailure) {
        switch name {
        case "json": try json(bytes)
        case "yaml": try yaml(bytes)
        case "kubeconfig": try kubeconfig(bytes)
        case "selectors": try selectors(bytes)
        case "patch": try patch(bytes)
        default: throw FuzzCheckFailure(check: name, reason: "no such fuzz target")
        }
    }

    /// JSON: parse → write → parse gives an equal value, and writing that again gives the same bytes;
    /// the compact scan (how informers cache watched objects) agrees with the parser.
    static func json(_ bytes: [UInt8]) throws(FuzzCheckFailure) {
        let value = try? JSONValue(parsing: bytes)
        try compactScan(bytes, parsed: value)
        guard let value else { return }
        try roundTrip(value, check: "json")
    }

    /// The compact scan accepts exactly the documents the parser accepts, and for an object keeps
    /// what decoding keeps once `metadata.managedFields` is dropped.
    static func compactScan(_ bytes: [UInt8], parsed: JSONValue?) throws(FuzzCheckFailure) {
        let scan: CompactObject.Scan?
        do {
            scan = try bytes.withUnsafeBytes { raw in try CompactObject.scan(droppingManagedFields: raw) }
        } catch {
            guard parsed == nil else { throw FuzzCheckFailure(check: "json", reason: "the scan refused what the parser took: \(error)") }
            return
        }
        guard var expected = parsed else { throw FuzzCheckFailure(check: "json", reason: "the scan took what the parser refused") }
        guard case .object = expected else {
            if scan != nil { throw FuzzCheckFailure(check: "json", reason: "the scan read a non-object as an object") }
            return
        }
        guard let scan else { throw FuzzCheckFailure(check: "json", reason: "the scan refused an object") }
        if case .object = expected["metadata"] { expected[path: "metadata", "managedFields"] = nil }
        guard (try? JSONValue(parsing: scan.compact.bytes)) == expected else {
            throw FuzzCheckFailure(check: "json", reason: "the compact form is not the object without managedFields")
        }
        let object = KubeObject(expected)
        let metadata = scan.metadata
        guard metadata.uid == object.uid, metadata.name == object.name, metadata.resourceVersion == object.resourceVersion,
            metadata.generation == object.generation, metadata.ownerReferences == object.ownerReferences
        else {
            throw FuzzCheckFailure(check: "json", reason: "the scan reads other metadata than the object's")
        }
    }

    /// YAML streams: reading never crashes, and each document written as JSON reads back equal.
    static func yaml(_ bytes: [UInt8]) throws(FuzzCheckFailure) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let documents = try? JSONValue.documents(yaml: text) else { return }
        for document in documents {
            try roundTrip(document, check: "yaml")
        }
    }

    /// Kubeconfig: loading and resolving each context either works or throws `KubeconfigError`;
    /// an error's message never quotes a token or password from the file.
    static func kubeconfig(_ bytes: [UInt8]) throws(FuzzCheckFailure) {
        let text = String(decoding: bytes, as: UTF8.self)
        let config: Kubeconfig
        do {
            config = try Kubeconfig(yaml: text, file: "/fuzz/kubeconfig")
        } catch {
            return
        }
        for context in config.contexts.keys.sorted() {
            do {
                _ = try config.clientConfiguration(context: context)
            } catch {
                try secretsAbsent(from: error.description, users: config.users.values, check: "kubeconfig")
            }
        }
    }

    /// Label and field selectors: a parsed selector's canonical text parses to the same selector.
    static func selectors(_ bytes: [UInt8]) throws(FuzzCheckFailure) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let selector = try? LabelSelector(parsing: text) {
            let canonical = selector.description
            guard let again = try? LabelSelector(parsing: canonical) else {
                throw FuzzCheckFailure(
                    check: "selectors", reason: "label selector canonical text \(canonical.debugDescription) does not parse")
            }
            guard again == selector, again.description == canonical else {
                throw FuzzCheckFailure(check: "selectors", reason: "label selector \(canonical.debugDescription) changes when read back")
            }
            _ = selector.matches(["app": "web", text: text])
        }
        if let selector = try? FieldSelector(parsing: text) {
            let canonical = selector.description
            guard let again = try? FieldSelector(parsing: canonical) else {
                throw FuzzCheckFailure(
                    check: "selectors", reason: "field selector canonical text \(canonical.debugDescription) does not parse")
            }
            guard again == selector, again.description == canonical else {
                throw FuzzCheckFailure(check: "selectors", reason: "field selector \(canonical.debugDescription) changes when read back")
            }
            _ = selector.matches(["metadata": ["name": .string(text)]])
        }
    }

    /// Patches: the input is a JSON array `[document, patch]`. The patch is applied as a JSON
    /// patch and as a merge patch, and the merge patch computed from the document to the patch
    /// value turns the document into it (when that value has no `null` members, which a merge
    /// patch cannot express).
    static func patch(_ bytes: [UInt8]) throws(FuzzCheckFailure) {
        guard let input = try? JSONValue(parsing: bytes), let pair = input.arrayValue, pair.count == 2 else { return }
        let (document, patch) = (pair[0], pair[1])
        if let patched = try? document.applyingJSONPatch(patch) {
            try roundTrip(patched, check: "patch")
        }
        let merged = document.applyingMergePatch(patch)
        try roundTrip(merged, check: "patch")
        guard !hasNullMember(patch) else { return }
        let diff = JSONValue.mergePatch(from: document, to: patch)
        let result = diff.map(document.applyingMergePatch) ?? document
        guard result.isEquivalent(to: patch) else {
            throw FuzzCheckFailure(
                check: "patch",
                reason:
                    "mergePatch(from:to:) gave \(diff?.serialized() ?? "nil"), which turns the document into \(result.serialized()), not \(patch.serialized())"
            )
        }
    }

    private static func roundTrip(_ value: JSONValue, check: String) throws(FuzzCheckFailure) {
        let written = value.serializedBytes()
        let reread: JSONValue
        do {
            reread = try JSONValue(parsing: written)
        } catch {
            throw FuzzCheckFailure(
                check: check, reason: "written JSON does not parse (\(error)): \(String(decoding: written, as: UTF8.self))")
        }
        guard reread.isEquivalent(to: value) else {
            throw FuzzCheckFailure(check: check, reason: "read back differs: \(String(decoding: written, as: UTF8.self))")
        }
        guard reread.serializedBytes() == written else {
            throw FuzzCheckFailure(check: check, reason: "writing twice differs: \(String(decoding: written, as: UTF8.self))")
        }
    }

    private static func hasNullMember(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): members.values.contains { $0.isNull || hasNullMember($0) }
        case .array(let elements): elements.contains(where: hasNullMember)
        default: false
        }
    }

    private static func secretsAbsent(
        from message: String, users: some Sequence<Kubeconfig.User>, check: String
    ) throws(FuzzCheckFailure) {
        for user in users {
            for secret in [user.token, user.password].compactMap(\.self) where secret.count >= 8 && message.contains(secret) {
                throw FuzzCheckFailure(check: check, reason: "an error message quotes a secret: \(message)")
            }
        }
    }
}
