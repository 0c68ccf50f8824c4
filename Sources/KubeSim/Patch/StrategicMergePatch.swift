import ObjectModel

/// Strategic merge patch for built-in kinds: maps merge, `null` deletes, lists of named things
/// (containers, env, ports, volumes, ...) merge by their key, other lists replace; understands the
/// `$patch`, `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` directives kubectl sends.
enum StrategicMergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        mergeMap(patch, target) ?? .object(JSONObject())
    }

    private static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
        "env": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "hostAliases": "ip", "conditions": "type", "ownerReferences": "uid",
        "topologySpreadConstraints": "topologyKey", "ports": "port", "webhooks": "name",
    ]

    /// nil means "delete this map".
    private static func mergeMap(_ patch: JSONValue, _ target: JSONValue) -> JSONValue? {
        guard case .object(let p) = patch else { return patch }
        var directive: String?
        var retainKeys: [String]?
        var result = target.objectValue ?? JSONObject()
        if let d = p["$patch"]?.stringValue { directive = d }
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
                if let merged = mergeMap(v, result[k] ?? .null) { result[k] = merged } else { result[k] = nil }
            case .array(let items):
                result[k] = mergeList(field: k, items, result[k]?.arrayValue ?? [])
            default:
                result[k] = v
            }
        }
        if let retainKeys {
            for k in result.keys where !retainKeys.contains(k) { result[k] = nil }
        }
        return .object(result)
    }

    private static func mergeList(field: String, _ patch: [JSONValue], _ target: [JSONValue]) -> JSONValue {
        guard var key = mergeKeys[field], patch.allSatisfy({ $0.objectValue != nil }) else {
            return .array(patch)
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
                if let merged = mergeMap(item, result[idx]) { result[idx] = merged } else { result.remove(at: idx) }
            } else if let merged = mergeMap(item, .object(JSONObject())) {
                result.append(merged)
            }
        }
        return .array(result)
    }
}
