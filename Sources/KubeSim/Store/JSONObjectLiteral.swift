import ObjectModel

extension JSONObject {
    /// An object from a dictionary literal written as a `JSONValue`.
    init(_ literal: JSONValue) {
        self = literal.objectValue ?? JSONObject()
    }
}
