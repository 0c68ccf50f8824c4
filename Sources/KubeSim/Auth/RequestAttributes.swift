import ObjectModel

/// What a request asks to do, in the terms authorization speaks (k8s.io/apiserver's RequestInfo):
/// a verb on a resource (group, resource, subresource, namespace, name) or on a non-resource path.
struct RequestAttributes: Sendable, Equatable {
    var verb: String
    var isResourceRequest: Bool
    var path: String
    var apiGroup = ""
    var apiVersion = ""
    var resource = ""
    var subresource = ""
    var namespace = ""
    var name = ""
    /// The path's `watch/` form (`/api/v1/watch/namespaces/x/pods`), older clients' watch.
    var legacyWatch = false
    /// The path went through `namespaces/NS/` to a resource (not the namespace's own path).
    var namespacePrefix = false
    /// Segments after the subresource: no handler serves such a path.
    var extraSegments = false

    /// A `watch` query value turns a list into a watch unless it is `0` or `false` (any case), as
    /// the server's parameter decoding does.
    static func isWatch(_ value: String?) -> Bool {
        guard let value else { return false }
        let v = value.lowercased()
        return v != "false" && v != "0"
    }

    init(verb: String, isResourceRequest: Bool, path: String) {
        self.verb = verb
        self.isResourceRequest = isResourceRequest
        self.path = path
    }

    init(method: String, path: String, query: [String: String]) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        self.init(verb: method.lowercased(), isResourceRequest: false, path: path)
        var rest: ArraySlice<String>
        if parts.first == "api", parts.count >= 2 {
            apiVersion = parts[1]
            rest = parts[2...]
        } else if parts.first == "apis", parts.count >= 3 {
            apiGroup = parts[1]
            apiVersion = parts[2]
            rest = parts[3...]
        } else {
            return
        }
        // `/api/v1` alone is discovery, a non-resource path.
        guard !rest.isEmpty else { apiGroup = ""; apiVersion = ""; return }
        isResourceRequest = true
        switch method {
        case "POST": verb = "create"
        case "GET", "HEAD": verb = "get"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = "delete"
        default: verb = ""
        }
        if rest.first == "watch" {
            verb = "watch"
            rest = rest.dropFirst()
            legacyWatch = true
        }
        if rest.first == "namespaces" {
            if rest.count > 1 {
                namespace = rest[rest.startIndex + 1]
                if rest.count > 2 && !["status", "finalize"].contains(rest[rest.startIndex + 2]) {
                    rest = rest.dropFirst(2)
                    namespacePrefix = true
                }
            }
        }
        var it = rest.makeIterator()
        resource = it.next() ?? ""
        name = it.next() ?? ""
        subresource = it.next() ?? ""
        extraSegments = it.next() != nil
        if name.isEmpty && verb == "get" { verb = Self.isWatch(query["watch"]) ? "watch" : "list" }
        if name.isEmpty && verb == "delete" { verb = "deletecollection" }
    }

    /// `User "alice" cannot list resource "namespaces" in API group "" at the cluster scope`
    func forbiddenMessage(user: String) -> String {
        guard isResourceRequest else { return "User \"\(user)\" cannot \(verb) path \"\(path)\"" }
        let what = subresource.isEmpty ? resource : resource + "/" + subresource
        if !namespace.isEmpty {
            return "User \"\(user)\" cannot \(verb) resource \"\(what)\" in API group \"\(apiGroup)\" in the namespace \"\(namespace)\""
        }
        return "User \"\(user)\" cannot \(verb) resource \"\(what)\" in API group \"\(apiGroup)\" at the cluster scope"
    }

    /// The 403 the server answers: `namespaces is forbidden: User ...`, `configmaps "x" is forbidden: ...`,
    /// `forbidden: User "system:anonymous" cannot get path "/api"`.
    func forbidden(user: String, reason: String) -> StatusError {
        var msg = forbiddenMessage(user: user)
        if !reason.isEmpty { msg += ": " + reason }
        var details = JSONObject()
        let qualified = apiGroup.isEmpty ? resource : resource + "." + apiGroup
        if !isResourceRequest || resource.isEmpty {
            return StatusError(code: 403, reason: "Forbidden", message: "forbidden: \(msg)", details: .object(details))
        }
        if !name.isEmpty { details["name"] = .string(name) }
        if !apiGroup.isEmpty { details["group"] = .string(apiGroup) }
        details["kind"] = .string(resource)
        let head = name.isEmpty ? qualified : "\(qualified) \"\(name)\""
        return StatusError(code: 403, reason: "Forbidden", message: "\(head) is forbidden: \(msg)", details: .object(details))
    }
}
