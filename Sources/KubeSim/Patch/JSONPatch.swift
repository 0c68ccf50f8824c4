import ObjectModel

/// RFC 6902 JSON patch: add, remove, replace, move, copy, test over JSON pointers.
///
/// A patch that does not apply is what 1.20's patch handler makes of evanphx/json-patch's error
/// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go, jsonPatcher.applyJSPatch:
/// `errors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false)`):
/// 422 Invalid, `the server rejected our request due to an error in our request`, empty details; the
/// library's own message (`testing value /x failed: test failed`, `... doc is missing path ...`) is not
/// passed on. A body that is not a list of operations is a 400 (jsonpatch.DecodePatch).
enum JSONPatch {
    static let rejected = StatusError(code: 422, reason: "Invalid",
                                      message: "the server rejected our request due to an error in our request", details: [:])

    static func apply(_ patch: JSONValue, to target: JSONValue) throws(StatusError) -> JSONValue {
        guard let ops = patch.arrayValue else {
            throw StatusError.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        }
        // patch.go maxJSONPatchOperations.
        if ops.count > 10000 {
            throw StatusError(code: 413, reason: "RequestEntityTooLarge",
                              message: "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got \(ops.count)")
        }
        var doc = target
        for op in ops {
            guard let name = op["op"]?.stringValue, let path = op["path"]?.stringValue else {
                throw rejected
            }
            let tokens = try pointer(path)
            switch name {
            case "add": doc = try set(doc, tokens[...], op["value"] ?? .null, insert: true)
            case "replace":
                _ = try get(doc, tokens[...])
                doc = try set(doc, tokens[...], op["value"] ?? .null, insert: false)
            case "remove": doc = try remove(doc, tokens[...])
            case "move", "copy":
                guard let from = op["from"]?.stringValue else { throw rejected }
                let ft = try pointer(from)
                let v = try get(doc, ft[...])
                if name == "move" { doc = try remove(doc, ft[...]) }
                doc = try set(doc, tokens[...], v, insert: true)
            case "test":
                let v = try get(doc, tokens[...])
                if v != (op["value"] ?? .null) { throw rejected }
            default:
                throw rejected  // json-patch's `Unexpected kind: <op>`, not passed on
            }
        }
        return doc
    }

    private static func pointer(_ p: String) throws(StatusError) -> [String] {
        if p.isEmpty { return [] }
        guard p.hasPrefix("/") else { throw rejected }
        return p.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func missing(_ t: String) -> StatusError { rejected }

    private static func get(_ v: JSONValue, _ t: ArraySlice<String>) throws(StatusError) -> JSONValue {
        guard let first = t.first else { return v }
        switch v {
        case .object(let o):
            guard let c = o[first] else { throw missing(first) }
            return try get(c, t.dropFirst())
        case .array(let a):
            guard let i = Int(first), a.indices.contains(i) else { throw missing(first) }
            return try get(a[i], t.dropFirst())
        default: throw missing(first)
        }
    }

    private static func set(_ v: JSONValue, _ t: ArraySlice<String>, _ value: JSONValue, insert: Bool)
        throws(StatusError) -> JSONValue
    {
        guard let first = t.first else { return value }
        let rest = t.dropFirst()
        switch v {
        case .object(var o):
            if rest.isEmpty {
                o[first] = value
            } else {
                guard let c = o[first] else { throw missing(first) }
                o[first] = try set(c, rest, value, insert: insert)
            }
            return .object(o)
        case .array(var a):
            if rest.isEmpty {
                if first == "-" { a.append(value); return .array(a) }
                guard let i = Int(first), i >= 0, i <= a.count else { throw missing(first) }
                if insert { a.insert(value, at: i) } else {
                    guard i < a.count else { throw missing(first) }
                    a[i] = value
                }
            } else {
                guard let i = Int(first), a.indices.contains(i) else { throw missing(first) }
                a[i] = try set(a[i], rest, value, insert: insert)
            }
            return .array(a)
        default: throw missing(first)
        }
    }

    private static func remove(_ v: JSONValue, _ t: ArraySlice<String>) throws(StatusError) -> JSONValue {
        guard let first = t.first else { return .null }
        let rest = t.dropFirst()
        switch v {
        case .object(var o):
            guard let c = o[first] else { throw missing(first) }
            if rest.isEmpty { o[first] = nil } else { o[first] = try remove(c, rest) }
            return .object(o)
        case .array(var a):
            guard let i = Int(first), a.indices.contains(i) else { throw missing(first) }
            if rest.isEmpty { a.remove(at: i) } else { a[i] = try remove(a[i], rest) }
            return .array(a)
        default: throw missing(first)
        }
    }
}
