import ObjectModel

/// A failed request as the API server reports it: a `Status` object with code, reason and message.
struct StatusError: Error {
    var code: Int
    var reason: String
    var message: String
    var details: JSONValue?
    var retryAfter: Int? = nil
    /// A Status's `metadata.continue` (a 410 for a compacted continue token carries a fresh one).
    var listContinue: String? = nil

    var body: JSONValue {
        var o = JSONObject([
            "kind": "Status", "apiVersion": "v1", "metadata": listContinue.map { ["continue": .string($0)] } ?? [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason),
        ])
        if let details { o["details"] = details }
        if reason.isEmpty { o["reason"] = nil }
        o["code"] = .int(code)
        return .object(o)
    }

    static func details(_ name: String?, _ t: ResourceType?, kind: String? = nil) -> JSONValue {
        var d = JSONObject()
        if let name { d["name"] = .string(name) }
        if let t, !t.group.isEmpty { d["group"] = .string(t.group) }
        if let kind { d["kind"] = .string(kind) } else if let t { d["kind"] = .string(t.name) }
        return .object(d)
    }

    static func notFound(_ t: ResourceType, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(t.qualifiedName) \"\(name)\" not found",
                    details: details(name, t))
    }
    static func namespaceNotFound(_ ns: String, catalog: ResourceCatalog) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "namespaces \"\(ns)\" not found",
                    details: ["name": .string(ns), "kind": "namespaces"])
    }
    static func alreadyExists(_ t: ResourceType, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "AlreadyExists", message: "\(t.qualifiedName) \"\(name)\" already exists",
                    details: details(name, t))
    }
    static func conflict(_ t: ResourceType, _ name: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(t.qualifiedName) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                    details: details(name, t))
    }
    /// A delete precondition (uid, resourceVersion) that does not hold.
    static func preconditionFailed(_ t: ResourceType, _ name: String, _ what: String) -> StatusError {
        StatusError(code: 409, reason: "Conflict",
                    message: "Operation cannot be fulfilled on \(t.qualifiedName) \"\(name)\": Precondition failed: \(what)",
                    details: details(name, t))
    }
    /// `The Namespace "X" is invalid: <field>: Invalid value: ...`
    static func invalid(_ t: ResourceType, _ name: String, causes: [(field: String, message: String, reason: String)])
        -> StatusError
    {
        let joined = causes.map { "\($0.field): \($0.message)" }
        let summary = joined.count == 1 ? joined[0] : "[" + joined.joined(separator: ", ") + "]"
        var d = JSONObject()
        d["name"] = .string(name)
        if !t.group.isEmpty { d["group"] = .string(t.group) }
        d["kind"] = .string(t.kind)
        d["causes"] = .array(causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] })
        let qualified = t.group.isEmpty ? t.kind : "\(t.kind).\(t.group)"
        return StatusError(code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(summary)",
                           details: .object(d))
    }
    static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message)
    }
    static func forbidden(_ t: ResourceType, _ name: String, _ why: String) -> StatusError {
        StatusError(code: 403, reason: "Forbidden", message: "\(t.qualifiedName) \"\(name)\" is forbidden: \(why)",
                    details: details(name, t))
    }
    static let pathNotFound = StatusError(
        code: 404, reason: "NotFound", message: "the server could not find the requested resource", details: [:])
    static let unauthorized = StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")
    static func methodNotAllowed(_ method: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed",
                    message: "the server does not allow this method on the requested resource", details: [:])
    }
    static func unsupportedMediaType(_ ct: String) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType",
                    message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
    }
}
