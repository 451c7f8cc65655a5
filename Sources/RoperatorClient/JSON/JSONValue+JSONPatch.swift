extension JSONValue {
    /// The result of applying RFC 6902 JSON patch operations in order. The patch is atomic:
    /// when an operation fails, nothing is returned.
    ///
    /// ```swift
    /// let patched = try pod.applyingJSONPatch([.replace(path: "/spec/replicas", value: 3)])
    /// ```
    ///
    /// - Throws: ``JSONPatchError`` naming the index and path of the failing operation.
    public func applyingJSONPatch(_ operations: [JSONPatchOperation]) throws(JSONPatchError) -> JSONValue {
        var copy = self
        try copy.applyJSONPatch(operations)
        return copy
    }

    /// Applies a patch given as its JSON document (an array of operation objects).
    ///
    /// - Throws: ``JSONPatchError`` for a malformed operation or one that cannot be applied.
    public func applyingJSONPatch(_ patch: JSONValue) throws(JSONPatchError) -> JSONValue {
        try applyingJSONPatch(try JSONPatchOperation.operations(from: patch))
    }

    /// Applies RFC 6902 operations in place. On failure `self` is left unchanged.
    ///
    /// - Throws: ``JSONPatchError`` naming the index and path of the failing operation.
    public mutating func applyJSONPatch(_ operations: [JSONPatchOperation]) throws(JSONPatchError) {
        var working = self
        for (index, operation) in operations.enumerated() {
            try working.apply(operation, index: index)
        }
        self = working
    }

    private mutating func apply(_ operation: JSONPatchOperation, index: Int) throws(JSONPatchError) {
        let path = operation.path
        func failure(_ error: JSONPointerError, at pointer: JSONPointer) -> JSONPatchError {
            let code: JSONPatchError.Code = error.isNotFound ? .pathNotFound : .invalidPath
            return JSONPatchError(code: code, operationIndex: index, path: path.description, message: error.description)
        }
        func notFound(_ pointer: JSONPointer) -> JSONPatchError {
            JSONPatchError(code: .pathNotFound, operationIndex: index, path: path.description, message: "no value at \"\(pointer)\"")
        }
        switch operation {
        case .add(_, let value):
            do { try add(value, at: path) } catch { throw failure(error, at: path) }
        case .remove:
            do { try remove(at: path) } catch { throw failure(error, at: path) }
        case .replace(_, let value):
            guard self[pointer: path] != nil else { throw notFound(path) }
            do { try set(value, at: path) } catch { throw failure(error, at: path) }
        case .move(let from, _):
            if from == path { return }
            if path.hasPrefix(from) {
                throw JSONPatchError(
                    code: .invalidPath, operationIndex: index, path: path.description,
                    message: "cannot move \"\(from)\" into its own child")
            }
            guard self[pointer: from] != nil else { throw notFound(from) }
            let value: JSONValue
            do { value = try remove(at: from) } catch { throw failure(error, at: from) }
            do { try add(value, at: path) } catch { throw failure(error, at: path) }
        case .copy(let from, _):
            guard let value = self[pointer: from] else { throw notFound(from) }
            do { try add(value, at: path) } catch { throw failure(error, at: path) }
        case .test(_, let expected):
            guard let actual = self[pointer: path] else { throw notFound(path) }
            guard actual.isEquivalent(to: expected) else {
                throw JSONPatchError(
                    code: .testFailed, operationIndex: index, path: path.description,
                    message: "expected \(expected), found \(actual)")
            }
        }
    }
}
