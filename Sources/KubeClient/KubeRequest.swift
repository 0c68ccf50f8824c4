import ObjectModel

/// One API call for `KubeAPI.send(_:)`, built with the same checks as the single calls
/// (`get`, `list`, `create`, `patch`), which are built from these too. `operation` says what it
/// asks for, so a `KubeAPI` that is not a server (a test's fake) can answer it.
package struct KubeRequest: Sendable {
    /// What a request asks for, as the single calls name it.
    package enum Operation: Sendable {
        case getPath(String)
        case get(APIResource, namespace: String?, name: String)
        case list(APIResource, namespace: String?, labelSelector: String?, fieldSelector: String?)
        case create(APIResource, namespace: String?, JSONValue)
        case patch(APIResource, namespace: String?, name: String, JSONValue, PatchType)
        case delete(APIResource, namespace: String?, name: String, propagationPolicy: String?)
    }

    package let operation: Operation
    let request: HTTPRequest
    /// Why the request must not be sent (a list's namespace that is no path segment).
    var invalid: KubeError?
    /// Whether an empty (or non-object) answer is a success: only for DELETE, whose answer may be empty.
    let allowEmpty: Bool

    init(_ operation: Operation, _ request: HTTPRequest, allowEmpty: Bool = false) {
        self.operation = operation
        self.request = request
        self.allowEmpty = allowEmpty
    }

    /// Set for a list: the answer is its items (with `apiVersion` and `kind`), every page.
    var listed: (resource: APIResource, namespace: String?, labelSelector: String?, fieldSelector: String?)? {
        guard case .list(let r, let ns, let l, let f) = operation else { return nil }
        return (r, ns, l, f)
    }

    // MARK: Building

    static func path(_ r: APIResource, namespace: String?, name: String?, subresource: String? = nil) -> String {
        var p = r.group.isEmpty ? "/api/\(r.version)" : "/apis/\(r.group)/\(r.version)"
        if r.namespaced, let ns = namespace, !ns.isEmpty { p += "/namespaces/\(URLEncoding.pathSegment(ns))" }
        p += "/\(r.resource)"
        if let name { p += "/\(URLEncoding.pathSegment(name))" }
        if let subresource { p += "/\(subresource)" }
        return p
    }

    static func checkName(_ name: String, _ verb: String, _ r: APIResource) throws(KubeError) {
        guard !name.isEmpty else {
            throw KubeError(.invalid, "resource name may not be empty (\(verb) \(r))")
        }
        if let problem = pathSegmentProblem(name) {
            throw KubeError(.invalid, "invalid resource name \(GoFormat.quoted(name)): \(problem)")
        }
    }

    static func checkNamespace(_ r: APIResource, _ namespace: String?, _ verb: String) throws(KubeError) {
        if r.namespaced && (namespace ?? "").isEmpty && verb != "list" {
            throw KubeError(.invalid, "\(verb) \(r) needs a namespace; \(r.kind) is a namespaced kind")
        }
        if r.namespaced, let namespace, let problem = pathSegmentProblem(namespace) {
            throw KubeError(.invalid, "invalid namespace \(GoFormat.quoted(namespace)): \(problem)")
        }
    }

    /// client-go's `IsValidPathSegmentName` as its request builder prints it (`[may not contain
    /// '/']`), or nil: a name that would change which path a request goes to.
    package static func pathSegmentProblem(_ name: String) -> String? {
        if name == "." || name == ".." { return "[may not be '\(name)']" }
        let found = ["/", "%"].filter { name.contains($0) }
        return found.isEmpty ? nil : "[" + found.map { "may not contain '\($0)'" }.joined(separator: " ") + "]"
    }

    package static func get(_ r: APIResource, namespace: String? = nil, name: String) throws(KubeError) -> KubeRequest {
        try checkName(name, "get", r)
        try checkNamespace(r, namespace, "get")
        return KubeRequest(.get(r, namespace: namespace, name: name),
                           HTTPRequest(method: "GET", path: path(r, namespace: namespace, name: name), idempotent: true,
                                       verb: "get", resource: r.description, namespace: r.namespaced ? namespace : nil, name: name))
    }

    /// A raw GET of any API path (`/version`, `/apis`, `/healthz`...).
    package static func getPath(_ path: String) -> KubeRequest {
        KubeRequest(.getPath(path), HTTPRequest(method: "GET", path: path, idempotent: true, verb: "get"))
    }

    /// The first page of a list (the rest, if any, follows when it is answered).
    package static func list(_ r: APIResource, namespace: String? = nil, labelSelector: String? = nil,
                            fieldSelector: String? = nil) -> KubeRequest {
        var request = KubeRequest(.list(r, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector),
                                  listPage(r, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                                           paged: true, continueToken: nil))
        do { try checkNamespace(r, namespace, "list") } catch { request.invalid = error }
        return request
    }

    static func listPage(_ r: APIResource, namespace: String?, labelSelector: String?, fieldSelector: String?,
                         paged: Bool, continueToken: String?) -> HTTPRequest {
        var query: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if paged { query.append(("limit", "500")) }
        if let continueToken { query.append(("continue", continueToken)) }
        let p = path(r, namespace: namespace, name: nil) + "?" + URLEncoding.query(query)
        return HTTPRequest(method: "GET", path: p, idempotent: true, verb: "list",
                           resource: r.description, namespace: r.namespaced ? namespace : nil)
    }

    package static func create(_ r: APIResource, namespace: String? = nil, _ object: JSONValue) throws(KubeError) -> KubeRequest {
        let ns = r.namespaced ? (namespace ?? object[path: "metadata", "namespace"]?.stringValue) : nil
        try checkNamespace(r, ns, "create")
        return KubeRequest(.create(r, namespace: ns, object),
                           HTTPRequest(method: "POST", path: path(r, namespace: ns, name: nil), body: object.jsonBytes(),
                                       contentType: "application/json", idempotent: false, verb: "create",
                                       resource: r.description, namespace: ns, name: object[path: "metadata", "name"]?.stringValue))
    }

    package static func patch(_ r: APIResource, namespace: String? = nil, name: String, _ patch: JSONValue,
                             type: PatchType = .merge) throws(KubeError) -> KubeRequest {
        try checkName(name, "patch", r)
        try checkNamespace(r, namespace, "patch")
        // A merge patch states the end result, so sending it twice is harmless; a JSON patch may not be.
        return KubeRequest(.patch(r, namespace: namespace, name: name, patch, type),
                           HTTPRequest(method: "PATCH", path: path(r, namespace: namespace, name: name), body: patch.jsonBytes(),
                                       contentType: type.contentType, idempotent: type != .json, verb: "patch",
                                       resource: r.description, namespace: r.namespaced ? namespace : nil, name: name))
    }

    package static func delete(_ r: APIResource, namespace: String? = nil, name: String,
                              propagationPolicy: String? = "Background") throws(KubeError) -> KubeRequest {
        try checkName(name, "delete", r)
        try checkNamespace(r, namespace, "delete")
        var body: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy) }
        return KubeRequest(.delete(r, namespace: namespace, name: name, propagationPolicy: propagationPolicy),
                           HTTPRequest(method: "DELETE", path: path(r, namespace: namespace, name: name), body: body.jsonBytes(),
                                       contentType: "application/json", idempotent: false, verb: "delete",
                                       resource: r.description, namespace: r.namespaced ? namespace : nil, name: name),
                           allowEmpty: true)
    }
}

extension KubeClient {
    /// Requests in one batch at most: over HTTP/2 the server takes about this many streams at
    /// once (100 by default in Go and in NIO), and each costs an easy handle while it runs.
    static let batchSize = 100

    /// Sends every request at once on the client's multi handle (over HTTP/2, streams of one
    /// connection: one round trip for the lot, whatever their number up to `batchSize`; over
    /// HTTP/1.1, a few connections), and waits for all of them. No thread per request.
    /// A list answers `.array` of its items; any non-2xx is that request's `KubeError`.
    ///
    /// Each answer goes through the checks of the single calls (`allowEmpty` for a DELETE, an
    /// object for everything else, list items that are objects) and each request through
    /// `Transport.send(all:)`'s failure rules (signals, timeouts, body limits, safe retries).
    /// A signal since the call began stops the chunks not yet sent; so does a chunk that found
    /// the server unreachable (a timeout or lost connection answers for the rest).
    package func send(_ requests: [KubeRequest]) -> [Result<JSONValue, KubeError>] {
        let epoch = transport.options.interruption?.count ?? 0
        var out: [Result<JSONValue, KubeError>] = []
        out.reserveCapacity(requests.count)
        var start = 0
        var unreachable: KubeError? = nil
        while start < requests.count {
            let chunk = requests[start..<min(start + Self.batchSize, requests.count)]
            start += Self.batchSize
            if let unreachable {
                out.append(contentsOf: chunk.map { _ in .failure(unreachable) })
                continue
            }
            let valid = chunk.filter { $0.invalid == nil }
            var sent = transport.send(all: valid.map(\.request), epoch: epoch)[...]
            let answers = chunk.map { r -> Result<(HTTPResponse, attempts: Int), KubeError> in
                if let invalid = r.invalid { return .failure(invalid) }
                return sent.popFirst() ?? .failure(KubeError(.other, "no answer for \(KubeError.describe(r.request))"))
            }
            for answer in answers {
                if case .failure(let e) = answer, e.kind == .timeout || e.kind == .connection, unreachable == nil { unreachable = e }
            }
            for (r, answer) in zip(chunk, answers) {
                out.append(Result { () throws(KubeError) -> JSONValue in
                    let (response, attempts) = try answer.get()
                    var body = try decode(response, attempts: attempts, request: r.request, allowEmpty: r.allowEmpty)
                    guard let l = r.listed else { return body }
                    let token = body[path: "metadata", "continue"]?.stringValue
                    let items = try listItems(taking: &body, l.resource, r.request)
                    // The rest of a long list (more than one page) is read as `list` reads it, from this page on.
                    if let token, !token.isEmpty {
                        return .array(try list(l.resource, namespace: l.namespace, labelSelector: l.labelSelector, fieldSelector: l.fieldSelector,
                                               after: items, continueToken: token))
                    }
                    return .array(items)
                })
            }
        }
        return out
    }
}
