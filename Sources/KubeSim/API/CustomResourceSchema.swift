import ObjectModel

/// What a CRD's structural schema does to a custom resource besides pruning (StructuralPruning),
/// as kube-apiserver 1.20's apiextensions-apiserver does it:
/// - `default:` values are applied where a property is absent (or a non-nullable one is null),
///   at every depth (pkg/apiserver/schema/defaulting/algorithm.go `Default`);
/// - the object is validated against the schema's types, enums and required properties, each
///   failure a field error in the 422 (pkg/apiserver/validation/validation.go
///   `ValidateCustomResource`, which words go-openapi's errors as field.Errors).
enum CustomResourceSchema {
    static func applyDefaults(_ value: JSONValue, _ schema: JSONValue) -> JSONValue {
        switch value {
        case .object(var o):
            for (k, prop) in schema["properties"]?.objectValue ?? JSONObject() {
                guard let d = prop["default"] else { continue }
                if o[k] == nil || (o[k] == .null && prop["nullable"]?.boolValue != true) { o[k] = d }
            }
            for (k, v) in o {
                if let prop = schema[path: "properties", k] {
                    o[k] = applyDefaults(v, prop)
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    if v == .null, additional["nullable"]?.boolValue != true, let d = additional["default"] { o[k] = d }
                    o[k] = applyDefaults(o[k] ?? v, additional)
                }
            }
            return .object(o)
        case .array(let a):
            guard let items = schema["items"], items.objectValue != nil else { return value }
            return .array(a.map { v in
                let filled = (v == .null && items["nullable"]?.boolValue != true) ? (items["default"] ?? v) : v
                return applyDefaults(filled, items)
            })
        default:
            return value
        }
    }

    /// The field errors of `value` against `schema`, in the order the schema's properties are
    /// checked (apiVersion, kind and metadata of the resource are the server's to check).
    static func validate(_ value: JSONValue, _ schema: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        validate(value, schema, path: "", root: true, into: &errors)
        return errors
    }

    /// go-openapi's name for the type of a decoded JSON value (whole numbers decode as integers).
    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double(let d): return d.rounded() == d && abs(d) < 9.2e18 ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private static func validate(_ value: JSONValue, _ schema: JSONValue, path: String, root: Bool, into errors: inout [FieldError]) {
        if value == .null, schema["nullable"]?.boolValue == true { return }
        if let type = schema["type"]?.stringValue, !type.isEmpty {
            let given = typeName(value)
            // An integer is a number too (go-openapi's isIntFloat).
            if given != type && !(type == "number" && given == "integer") {
                errors.append(.invalid(path, GoValue.quote(given), "\(path) in body must be of type \(type): \(GoValue.quote(given))"))
                return
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            // validation.go: string values as they are, others as JSON.
            errors.append(.notSupported(path, GoValue.scalar(value), allowed.map { $0.stringValue ?? $0.jsonString() }))
        }
        switch value {
        case .object(let o):
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where o[name] == nil {
                errors.append(.required(path.isEmpty ? name : "\(path).\(name)"))
            }
            for (k, v) in o {
                if root && (k == "apiVersion" || k == "kind" || k == "metadata") { continue }
                let p = path.isEmpty ? k : "\(path).\(k)"
                if let prop = schema[path: "properties", k] {
                    validate(v, prop, path: p, root: false, into: &errors)
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    validate(v, additional, path: p, root: false, into: &errors)
                }
            }
        case .array(let a):
            guard let items = schema["items"], items.objectValue != nil else { return }
            for (i, v) in a.enumerated() { validate(v, items, path: "\(path)[\(i)]", root: false, into: &errors) }
        default:
            break
        }
    }
}
