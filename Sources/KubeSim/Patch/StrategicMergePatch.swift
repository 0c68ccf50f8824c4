import ObjectModel

/// Strategic merge patch for built-in kinds: maps merge, `null` deletes, lists of named things
/// (containers, env, ports, volumes, ...) merge by their key, other lists replace; understands the
/// `$patch`, `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` directives kubectl sends.
///
/// As 1.20's apimachinery strategicpatch (from knowledge of the v1.20 sources): a `$patch` other than
/// `replace`/`delete` in a map (`merge` too), or other than those and `merge` in a list, is
/// mergepatch.ErrBadPatchType, `unknown patch type: X in map: map[...]`, which patch.go's
/// interpretStrategicMergePatchError passes on unconverted: a 500 without a reason.
/// `$setElementOrder/<list>` orders the merged list (normalizeElementOrder: the listed items in the
/// directive's order, the others in the live object's order, interleaved by mergeSortedSlice).
enum StrategicMergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) throws(StatusError) -> JSONValue {
        // strategicPatchObject: json.Unmarshal into map[string]interface{}.
        if patch.objectValue == nil, !patch.isNull {
            let type: String
            switch patch {
            case .array: type = "array"
            case .string: type = "string"
            case .bool: type = "bool"
            default: type = "number"
            }
            throw StatusError.badRequest("json: cannot unmarshal \(type) into Go value of type map[string]interface {}")
        }
        if patch.isNull { return target }
        return try mergeMap(patch, target) ?? .object(JSONObject())
    }

    private static func badPatchType(_ directive: JSONValue, _ map: JSONValue) -> StatusError {
        StatusError(code: 500, reason: "",
                    message: "unknown patch type: \(goString(directive)) in map: \(goValue(map))")
    }

    /// `%s` of a decoded JSON value.
    private static func goString(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return "%!s(" + goTypeName(v) + "=" + goValue(v) + ")"
    }

    private static func goTypeName(_ v: JSONValue) -> String {
        switch v {
        case .int, .double: return "float64"
        case .bool: return "bool"
        case .null: return "<nil>"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        case .string: return "string"
        }
    }

    /// `%v` of a decoded JSON value (maps with sorted keys, as fmt prints them).
    static func goValue(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e21 ? String(Int(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "<nil>"
        case .array(let a): return "[" + a.map(goValue).joined(separator: " ") + "]"
        case .object(let o): return "map[" + o.keys.sorted().map { "\($0):\(goValue(o[$0] ?? .null))" }.joined(separator: " ") + "]"
        }
    }

    private static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
        "env": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "hostAliases": "ip", "conditions": "type", "ownerReferences": "uid",
        "topologySpreadConstraints": "topologyKey", "ports": "port", "webhooks": "name",
    ]

    /// nil means "delete this map".
    private static func mergeMap(_ patch: JSONValue, _ target: JSONValue) throws(StatusError) -> JSONValue? {
        guard case .object(let p) = patch else { return patch }
        var directive: String?
        var retainKeys: [String]?
        var result = target.objectValue ?? JSONObject()
        if let d = p["$patch"] {
            guard let s = d.stringValue, s == "delete" || s == "replace" else { throw badPatchType(d, patch) }
            directive = s
        }
        if directive == "delete" { return nil }
        if directive == "replace" {
            var o = p
            o["$patch"] = nil
            return .object(o)
        }
        if let r = p["$retainKeys"]?.arrayValue { retainKeys = r.compactMap { $0.stringValue } }
        for (k, v) in p {
            if k == "$patch" || k == "$retainKeys" || k.hasPrefix("$setElementOrder/") { continue }
            if k.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(k.dropFirst("$deleteFromPrimitiveList/".count))
                let doomed = v.arrayValue ?? []
                if let list = result[field]?.arrayValue {
                    result[field] = .array(list.filter { !doomed.contains($0) })
                }
                continue
            }
            if v.isNull { result[k] = nil; continue }
            switch v {
            case .object:
                if let merged = try mergeMap(v, result[k] ?? .null) { result[k] = merged } else { result[k] = nil }
            case .array(let items):
                let original = result[k]?.arrayValue ?? []
                var merged = try mergeList(field: k, items, original)
                if let order = p["$setElementOrder/\(k)"]?.arrayValue, let list = merged.arrayValue {
                    merged = .array(Self.ordered(list, by: order, original: original, key: mergeKeys[k]))
                }
                result[k] = merged
            default:
                result[k] = v
            }
        }
        if let retainKeys {
            for k in result.keys where !retainKeys.contains(k) { result[k] = nil }
        }
        return .object(result)
    }

    private static func mergeList(field: String, _ patch: [JSONValue], _ target: [JSONValue]) throws(StatusError) -> JSONValue {
        guard var key = mergeKeys[field], patch.allSatisfy({ $0.objectValue != nil }) else {
            return .array(patch)
        }
        for item in patch {
            if let d = item["$patch"], d.stringValue != "delete" && d.stringValue != "replace" {
                if d.stringValue == "merge" {
                    throw StatusError(code: 500, reason: "", message: "merging lists cannot yet be specified in the patch")
                }
                throw badPatchType(d, item)
            }
        }
        if field == "ports", (patch + target).contains(where: { $0["containerPort"] != nil }) {
            key = "containerPort"
        }
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .array(patch.filter { $0["$patch"] == nil })
        }
        var result = target
        for item in patch {
            guard let id = item[key] else { result.append(item); continue }
            let idx = result.firstIndex { $0[key] == id }
            if item["$patch"]?.stringValue == "delete" {
                if let idx { result.remove(at: idx) }
                continue
            }
            if let idx {
                if let merged = try mergeMap(item, result[idx]) { result[idx] = merged } else { result.remove(at: idx) }
            } else if let merged = try mergeMap(item, .object(JSONObject())) {
                result.append(merged)
            }
        }
        return .array(result)
    }

    /// normalizeElementOrder + mergeSortedSlice: the items `order` names, in its order, merged with the
    /// rest in the live list's order; where both are in the live list, its order decides.
    private static func ordered(_ merged: [JSONValue], by order: [JSONValue], original: [JSONValue], key: String?) -> [JSONValue] {
        func id(_ v: JSONValue) -> JSONValue { key.flatMap { v.objectValue != nil ? v[$0] : nil } ?? v }
        let orderIDs = order.map(id)
        let serverIDs = original.map(id)
        var patchItems: [JSONValue] = []
        var serverOnly: [JSONValue] = []
        for item in merged {
            if orderIDs.contains(id(item)) { patchItems.append(item) } else { serverOnly.append(item) }
        }
        patchItems.sort { (orderIDs.firstIndex(of: id($0)) ?? 0) < (orderIDs.firstIndex(of: id($1)) ?? 0) }
        serverOnly.sort { (serverIDs.firstIndex(of: id($0)) ?? Int.max) < (serverIDs.firstIndex(of: id($1)) ?? Int.max) }
        var out: [JSONValue] = []
        var i = 0, j = 0
        while i < serverOnly.count || j < patchItems.count {
            if i >= serverOnly.count { out.append(patchItems[j]); j += 1; continue }
            if j >= patchItems.count { out.append(serverOnly[i]); i += 1; continue }
            if let li = serverIDs.firstIndex(of: id(serverOnly[i])), let ri = serverIDs.firstIndex(of: id(patchItems[j])), li < ri {
                out.append(serverOnly[i]); i += 1
            } else {
                out.append(patchItems[j]); j += 1
            }
        }
        return out
    }
}
