import ObjectModel

/// What a CRD's structural schema keeps of a custom resource, as 1.20's
/// staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning/algorithm.go prunes it:
/// fields the schema does not specify are dropped at every depth, except under
/// `x-kubernetes-preserve-unknown-fields: true`; an object schema with neither properties nor
/// additionalProperties keeps nothing. apiVersion, kind and metadata of the resource (and of
/// `x-kubernetes-embedded-resource` objects) always stay.
enum StructuralPruning {
    /// The schema a CRD gives `version` of its resource, when that CRD prunes (v1, or v1beta1 with
    /// `preserveUnknownFields: false`).
    static func schema(_ crd: JSONValue, version: String) -> JSONValue? {
        let spec = crd["spec"] ?? .null
        let pruning = crd["apiVersion"]?.stringValue == "apiextensions.k8s.io/v1beta1"
            ? spec["preserveUnknownFields"]?.boolValue == false
            : spec["preserveUnknownFields"]?.boolValue != true
        guard pruning else { return nil }
        let v = spec["versions"]?.arrayValue?.first { $0["name"]?.stringValue == version }
        return v?[path: "schema", "openAPIV3Schema"] ?? spec[path: "validation", "openAPIV3Schema"]
    }

    /// `object` pruned by `schema`, and the paths of what was dropped (`spec.cronSpc`).
    static func prune(_ object: JSONValue, _ schema: JSONValue) -> (JSONValue, unknown: [String]) {
        var unknown: [String] = []
        let pruned = prune(object, schema, path: "", root: true, unknown: &unknown)
        return (pruned, unknown)
    }

    private static func prune(_ value: JSONValue, _ schema: JSONValue, path: String, root: Bool,
                              unknown: inout [String]) -> JSONValue {
        switch value {
        case .object(let o):
            let props = schema["properties"]?.objectValue
            let additional = schema["additionalProperties"].flatMap { $0.objectValue != nil ? $0 : nil }
            let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
                || schema["additionalProperties"]?.boolValue == true
            let keepsTypeMeta = root || schema["x-kubernetes-embedded-resource"]?.boolValue == true
            var out = JSONObject()
            for (k, v) in o {
                let p = path.isEmpty ? k : "\(path).\(k)"
                if keepsTypeMeta && (k == "apiVersion" || k == "kind" || k == "metadata") {
                    out[k] = v
                } else if let s = props?[k] {
                    out[k] = prune(v, s, path: p, root: false, unknown: &unknown)
                } else if let additional {
                    out[k] = prune(v, additional, path: p, root: false, unknown: &unknown)
                } else if preserve {
                    out[k] = v
                } else {
                    unknown.append(p)
                }
            }
            return .object(out)
        case .array(let a):
            guard let items = schema["items"], items.objectValue != nil else { return value }
            return .array(a.enumerated().map {
                prune($0.element, items, path: "\(path)[\($0.offset)]", root: false, unknown: &unknown)
            })
        default:
            return value
        }
    }
}
