import Foundation
import ObjectModel

/// One validation failure, worded as k8s.io/apimachinery's field.Error: `spec.replicas: Invalid value: -1: ...`.
struct FieldError {
    enum Kind: String {
        case invalid = "FieldValueInvalid", required = "FieldValueRequired", notSupported = "FieldValueNotSupported"
        case duplicate = "FieldValueDuplicate", tooLong = "FieldValueTooLong", forbidden = "FieldValueForbidden"

        var text: String {
            switch self {
            case .invalid: return "Invalid value"
            case .required: return "Required value"
            case .notSupported: return "Unsupported value"
            case .duplicate: return "Duplicate value"
            case .tooLong: return "Too long"
            case .forbidden: return "Forbidden"
            }
        }
    }

    let field: String
    let kind: Kind
    /// The bad value as Go prints it (`"x"`, `-1`, `map[string]string{...}`), or nil.
    let value: String?
    let detail: String

    static func invalid(_ field: String, _ value: String, _ detail: String) -> FieldError {
        FieldError(field: field, kind: .invalid, value: value, detail: detail)
    }
    static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(field: field, kind: .required, value: nil, detail: detail)
    }
    static func notSupported(_ field: String, _ value: String, _ supported: [String]) -> FieldError {
        FieldError(field: field, kind: .notSupported, value: value,
                   detail: "supported values: " + supported.map { GoValue.quote($0) }.joined(separator: ", "))
    }
    static func duplicate(_ field: String, _ value: String) -> FieldError {
        FieldError(field: field, kind: .duplicate, value: value, detail: "")
    }
    static func tooLong(_ field: String, _ max: Int) -> FieldError {
        FieldError(field: field, kind: .tooLong, value: nil, detail: "must have at most \(max) bytes")
    }
    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(field: field, kind: .forbidden, value: nil, detail: detail)
    }

    /// What follows `field: ` in the message (and is the cause's message).
    var body: String {
        var s = kind.text
        if let value { s += ": " + value }
        if !detail.isEmpty { s += ": " + detail }
        return s
    }
}

extension StatusError {
    /// `Deployment.apps "web" is invalid: <field>: <body>` (several: `[a, b]`), with details.causes.
    static func invalid(kind: String, group: String, name: String, _ errors: [FieldError]) -> StatusError {
        let joined = errors.map { "\($0.field): \($0.body)" }
        let summary = joined.count == 1 ? joined[0] : "[" + joined.joined(separator: ", ") + "]"
        var d = JSONObject()
        d["name"] = .string(name)
        if !group.isEmpty { d["group"] = .string(group) }
        d["kind"] = .string(kind)
        d["causes"] = .array(errors.map {
            ["reason": .string($0.kind.rawValue), "message": .string($0.body), "field": .string($0.field)]
        })
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        return StatusError(code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(summary)",
                           details: .object(d))
    }

    static func invalid(_ t: ResourceType, _ name: String, _ errors: [FieldError]) -> StatusError {
        invalid(kind: t.kind, group: t.group, name: name, errors)
    }
}

/// Go's `%#v` (and `%q`, which is `GoFormat.quoted`) for the values validation messages print.
enum GoValue {
    static func quote(_ s: String) -> String { GoFormat.quoted(s) }

    /// `map[string]string{"a":"b", "c":"d"}` (keys sorted, as fmt prints maps).
    static func stringMap(_ m: [String: String]?) -> String {
        guard let m else { return "map[string]string(nil)" }
        return "map[string]string{" + m.keys.sorted().map { "\(quote($0)):\(quote(m[$0]!))" }.joined(separator: ", ") + "}"
    }

    /// `[]string{"a", "b"}`
    static func strings(_ a: [String]?) -> String {
        guard let a else { return "[]string(nil)" }
        return "[]string{" + a.map(quote).joined(separator: ", ") + "}"
    }

    /// A JSON value as Go prints the decoded field: strings quoted, numbers and bools bare.
    static func scalar(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: return quote(s)
        case .int(let i)?: return String(i)
        case .bool(let b)?: return b ? "true" : "false"
        case nil, .null?: return "null"
        case let x?: return x.jsonString()
        }
    }
}
