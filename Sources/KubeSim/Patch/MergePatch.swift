import ObjectModel

/// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces.
enum MergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var result = target.objectValue ?? JSONObject()
        for (k, v) in p {
            if v.isNull {
                result[k] = nil
            } else {
                result[k] = apply(v, to: result[k] ?? .null)
            }
        }
        return .object(result)
    }
}
