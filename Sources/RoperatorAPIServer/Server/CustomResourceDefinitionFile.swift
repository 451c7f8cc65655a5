import Foundation
public import RoperatorClient

extension EmbeddedAPIServer.Configuration {
    /// Reads the CustomResourceDefinitions in a YAML (one or more `---`-separated documents) or JSON
    /// file; a `List` contributes its items. Documents of other kinds are refused.
    ///
    /// ```swift
    /// configuration.customResourceDefinitions += try EmbeddedAPIServer.Configuration
    ///     .customResourceDefinitions(fromFile: "config/crd/echo.yaml")
    /// ```
    ///
    /// - Parameter path: the file.
    /// - Returns: the CRD objects.
    /// - Throws: when the file cannot be read or parsed, or holds something other than CRDs.
    public static func customResourceDefinitions(fromFile path: String) throws -> [JSONValue] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var documents: [JSONValue] = []
        if let json = try? JSONValue(parsing: bytes) { // not JSON: read it as YAML below, whose errors are reported
            documents = [json]
        } else {
            do {
                documents = try JSONValue.documents(yaml: String(decoding: bytes, as: UTF8.self))
            } catch {
                throw CRDFileError(path: path, reason: "\(error)")
            }
        }
        var result: [JSONValue] = []
        for document in documents where !document.isNull {
            if document["kind"]?.stringValue?.hasSuffix("List") == true, let items = document["items"]?.arrayValue {
                result += items
            } else {
                result.append(document)
            }
        }
        for crd in result where crd["kind"]?.stringValue != "CustomResourceDefinition" {
            throw CRDFileError(path: path, reason: "expected kind CustomResourceDefinition, found \(crd["kind"]?.stringValue ?? "no kind")")
        }
        return result
    }
}

/// A CRD file that could not be used.
public struct CRDFileError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
