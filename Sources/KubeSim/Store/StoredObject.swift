import ObjectModel

/// An object as stored, with its JSON encoding made once per write so reads cost no encoding.
struct StoredObject {
    var value: JSONValue
    var json: [UInt8]

    init(_ value: JSONValue) {
        self.value = value
        self.json = value.jsonBytes()
    }

    var name: String { value[path: "metadata", "name"]?.stringValue ?? "" }
    var namespace: String { value[path: "metadata", "namespace"]?.stringValue ?? "" }
    var labels: [String: String] { value[path: "metadata", "labels"]?.stringMap ?? [:] }
}
