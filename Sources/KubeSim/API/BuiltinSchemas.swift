import ObjectModel

/// Kubernetes v1.20's definitions of the built-in kinds (`KubernetesDefinitions`), parsed on first use:
/// what `/openapi/v2` publishes and what decoding a built-in kind keeps.
enum BuiltinSchemas {
    static let definitions: JSONObject = (try? JSONValue(parsing: KubernetesDefinitions.json))?.objectValue ?? JSONObject()

    /// "apps/v1/Deployment" -> "io.k8s.api.apps.v1.Deployment"
    static let byGroupVersionKind: [String: String] = {
        var index: [String: String] = [:]
        for (name, d) in definitions {
            for g in d["x-kubernetes-group-version-kind"]?.arrayValue ?? [] {
                let key = "\(g["group"]?.stringValue ?? "")/\(g["version"]?.stringValue ?? "")/\(g["kind"]?.stringValue ?? "")"
                index[key] = name
            }
        }
        return index
    }()

    /// `object` without the fields its kind's Go types do not declare, at any depth, as decoding it into them
    /// does (1.20: k8s.io/apimachinery/pkg/runtime/serializer/json/json.go, json-iterator ignoring unknown
    /// fields), and the paths of those fields as 1.25+'s strict decoding names them (`spec.replcas`,
    /// `spec.template.spec.containers[0].imagee`). Nil for a kind with no definition.
    static func prune(_ object: JSONValue, group: String, version: String, kind: String) -> (JSONValue, unknown: [String])? {
        guard let name = byGroupVersionKind["\(group)/\(version)/\(kind)"], let schema = definitions[name] else { return nil }
        var unknown: [String] = []
        let pruned = prune(object, schema, path: "", unknown: &unknown)
        return (pruned, unknown)
    }

    private static func prune(_ value: JSONValue, _ schema: JSONValue, path: String, unknown: inout [String]) -> JSONValue {
        var schema = schema
        if let ref = schema["$ref"]?.stringValue, let d = definitions[String(ref.dropFirst("#/definitions/".count))] { schema = d }
        switch value {
        case .object(let o):
            if let props = schema["properties"]?.objectValue {
                var out = JSONObject()
                for (k, v) in o {
                    let p = path.isEmpty ? k : "\(path).\(k)"
                    if let s = props[k] { out[k] = prune(v, s, path: p, unknown: &unknown) } else { unknown.append(p) }
                }
                return .object(out)
            }
            if let item = schema["additionalProperties"], item.objectValue != nil {
                var out = JSONObject()
                for (k, v) in o { out[k] = prune(v, item, path: path.isEmpty ? k : "\(path).\(k)", unknown: &unknown) }
                return .object(out)
            }
            return value
        case .array(let a):
            guard let item = schema["items"], item.objectValue != nil else { return value }
            return .array(a.enumerated().map { prune($0.element, item, path: "\(path)[\($0.offset)]", unknown: &unknown) })
        default:
            return value
        }
    }
}
