import ObjectModel
import CYAML

/// Reading and writing YAML through libyaml, to and from `JSONValue`.
public enum YAML {
    /// Every document of a (multi-document) YAML stream; empty documents are dropped.
    public static func parseDocuments(_ text: String) throws(YAMLError) -> [JSONValue] {
        var reader = YAMLReader()
        return try reader.read(Array(text.utf8)).compactMap { doc in
            if case .some(.null) = doc { return nil }
            return doc
        }
    }

    /// The single document of a YAML stream (null for an empty stream).
    public static func parse(_ text: String) throws(YAMLError) -> JSONValue {
        var reader = YAMLReader()
        let docs = try reader.read(Array(text.utf8))
        if docs.count > 1 {
            throw YAMLError(message: "expected a single document, found \(docs.count)", line: 1, column: 1)
        }
        return docs.first.flatMap { $0 } ?? .null
    }

    /// One YAML document, kubectl's style: two-space indent, lists at their key's indent.
    public static func emit(_ value: JSONValue) -> String {
        YAMLWriter.document(value)
    }

    /// `emit`, appended to `out` as UTF-8.
    public static func emit(_ value: JSONValue, into out: inout [UInt8]) {
        YAMLWriter.document(value, into: &out)
    }

    /// A multi-document stream with `---` between documents.
    public static func emitDocuments(_ values: [JSONValue]) -> String {
        values.map { YAMLWriter.document($0) }.joined(separator: "---\n")
    }
}
