import Foundation
import ObjectModel
import YAMLCodec

/// Turns requests into replies: authentication, faults, discovery and the REST API over `Cluster`.
/// Called on event-loop threads; all shared state it touches is locked.
final class APIServer: @unchecked Sendable {
    let cluster: Cluster
    let faults: FaultInjector
    let log: RequestLog
    private let tokens: [String: UserInfo]
    private let adminToken: String?
    let authorization: AuthorizationMode
    private let versionBytes: [UInt8]
    let openAPI: OpenAPIDocuments
    let openAPIV2: OpenAPIV2Document
    /// `/openapi/v3` is served by default from 1.24 (OpenAPIV3 beta); older servers answer 404.
    private let servesOpenAPIV3: Bool

    init(cluster: Cluster, options: KubeSimOptions, faults: FaultInjector, log: RequestLog) {
        self.cluster = cluster
        self.faults = faults
        self.log = log
        var tokens: [String: UserInfo] = [:]
        for (i, t) in options.tokens.enumerated() {
            // TOKEN[,USER[,GROUP...]]
            let parts = t.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let first = parts.first, !first.isEmpty else { continue }
            let name = parts.count > 1 && !parts[1].isEmpty ? parts[1] : "token-user-\(i)"
            tokens[first] = .authenticated(name, groups: parts.dropFirst(2).filter { !$0.isEmpty })
        }
        if let a = options.adminToken { tokens[a] = .authenticated("admin", groups: ["system:masters"]) }
        self.tokens = tokens
        authorization = options.authorization
        self.adminToken = options.adminToken
        versionBytes = Discovery.version(options.serverVersion).jsonBytes(pretty: true)
        openAPI = OpenAPIDocuments(catalog: cluster.catalog)
        openAPIV2 = OpenAPIV2Document(serverVersion: options.serverVersion)
        servesOpenAPIV3 = (KubeSim.minorVersion(options.serverVersion) ?? 20) >= 24
    }

    /// kube-apiserver's cap on a request body (3 MiB).
    static let maxRequestBodyBytes = 3 * 1024 * 1024

    func setAddress(_ address: String) { cluster.setAddress(address) }

    enum Authentication {
        case user(UserInfo)
        /// No credentials the server knows how to check (none, or basic auth, which 1.20 dropped).
        case none
        /// A bearer token the server does not know: 401 whatever the authorization mode.
        case invalid

        var logName: String {
            if case .user(let u) = self { return u.name }
            return ""
        }
    }

    /// Who is asking: the client certificate's CN (its O entries are groups), else a known bearer token's user.
    func authenticate(_ req: APIRequest) -> Authentication {
        if let u = req.certificateUser { return .user(.authenticated(u, groups: req.certificateGroups)) }
        if let a = req.authorization, a.hasPrefix("Bearer ") {
            let token = String(a.dropFirst(7))
            if let u = tokens[token] { return .user(u) }
            // Service account tokens (the token controller's and TokenRequest's), checked as 1.20's JWT authenticator.
            if let u = cluster.serviceAccountUser(token: token) { return .user(u) }
            return .invalid
        }
        return .none
    }

    struct Outcome {
        var reply: APIReply
        var user: String
        var delayMs: Int
    }

    func handle(_ req: APIRequest) -> Outcome {
        let auth = authenticate(req)
        let user = auth.logName
        if req.path.hasPrefix("/kube-sim/") {
            return Outcome(reply: admin(req), user: user, delayMs: 0)
        }
        if let rule = faults.match(method: req.method, path: req.path) {
            let delay = rule.delayMs ?? 0
            if rule.afterApply && (rule.dropConnection || rule.status != nil) { _ = serve(req, auth) }
            if rule.dropConnection { return Outcome(reply: .drop, user: user, delayMs: delay) }
            if let code = rule.status {
                let reason = rule.reason ?? FaultInjector.defaultReason(code)
                var e = StatusError(code: code, reason: reason, message: rule.message ?? FaultInjector.defaultMessage(code))
                if let r = rule.retryAfter {
                    e.retryAfter = r
                    e.details = ["retryAfterSeconds": .int(r)]
                }
                return Outcome(reply: .error(e), user: user, delayMs: delay)
            }
            if delay > 0 {
                var o = serve(req, auth)
                o.delayMs = delay
                return o
            }
        }
        return serve(req, auth)
    }

    private func serve(_ req: APIRequest, _ auth: Authentication) -> Outcome {
        var user: UserInfo
        switch auth {
        case .user(let u): user = u
        case .none where authorization == .rbac: user = .anonymous
        case .none, .invalid: return Outcome(reply: .error(.unauthorized), user: "", delayMs: 0)
        }
        // Impersonation runs after authentication and before authorization, as in 1.20's handler
        // chain (staging/src/k8s.io/apiserver/pkg/server/config.go, DefaultBuildHandlerChain).
        if !req.impersonation.isEmpty {
            let caller = user
            switch req.impersonation.resolve(requestor: caller, authorize: { a in
                if authorization == .alwaysAllow { return (true, "") }
                let d = cluster.authorize(caller, a)
                return (d.allowed, d.reason)
            }) {
            case .success(let acting): user = acting
            case .failure(.forbidden(let e)): return Outcome(reply: .error(e), user: caller.name, delayMs: 0)
            case .failure(.withoutUser(let why)):
                // responsewriters.InternalError: plain text, `Internal Server Error: "<request URI>": <err>`,
                // with &, < and > HTML-escaped (its sanitizer).
                let uri = req.rawQuery.isEmpty ? req.path : req.path + "?" + req.rawQuery
                let text = ("Internal Server Error: " + GoValue.quote(uri) + ": " + why)
                    .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;") + "\n"
                return Outcome(reply: .response(status: 500, headers: [("Content-Type", "text/plain; charset=utf-8"),
                                                                      ("X-Content-Type-Options", "nosniff")],
                                                body: Array(text.utf8)),
                               user: caller.name, delayMs: 0)
            }
        }
        // The path read once: authorization and the resource handlers both take it from here.
        let attributes = RequestAttributes(method: req.method, path: req.path, query: req.query)
        if authorization == .rbac {
            let decision = cluster.authorize(user, attributes)
            if !decision.allowed {
                return Outcome(reply: .error(attributes.forbidden(user: user.name, reason: decision.reason)),
                               user: user.name, delayMs: 0)
            }
        }
        // Read after authorization, as the handler reads the body.
        if req.body.count > Self.maxRequestBodyBytes {
            let e = StatusError(code: 413, reason: "RequestEntityTooLarge",
                                message: "Request entity too large: limit is \(Self.maxRequestBodyBytes)")
            return Outcome(reply: .error(e), user: user.name, delayMs: 0)
        }
        let reply: APIReply
        do { reply = try route(req, attributes, user: user) } catch { reply = .error(error) }
        return Outcome(reply: reply, user: user.name, delayMs: 0)
    }

    // MARK: - Admin

    private func admin(_ req: APIRequest) -> APIReply {
        guard let adminToken, req.authorization == "Bearer \(adminToken)" else {
            return .error(StatusError(code: 403, reason: "Forbidden", message: "the kube-sim admin endpoint needs the admin token"))
        }
        guard req.path == "/kube-sim/faults" else { return .error(.pathNotFound) }
        do {
            switch req.method {
            case "GET": break
            case "PUT", "POST":
                let text = String(decoding: req.body, as: UTF8.self)
                let rules = try FaultRule.parseList(text)
                if req.method == "PUT" { try faults.set(rules) } else { try faults.add(rules) }
            case "DELETE": try faults.set([])
            default: return .error(.methodNotAllowed(req.method))
            }
        } catch {
            return .error(.badRequest("\(error)"))
        }
        return .json(200, JSONValue.array(faults.current.map(\.json)).jsonBytes())
    }

    // MARK: - Routing

    private func route(_ req: APIRequest, _ attributes: RequestAttributes, user: UserInfo) throws(StatusError) -> APIReply {
        let segs = req.path.split(separator: "/", omittingEmptySubsequences: true)
        let (catalog, discovery) = cluster.snapshot()
        guard let first = segs.first else {
            let paths = ["/api", "/api/v1", "/apis", "/openapi/v2"] + (servesOpenAPIV3 ? ["/openapi/v3"] : []) + ["/version"]
            return .json(200, JSONValue.object(["paths": JSONValue(paths)]).jsonBytes())
        }
        switch first {
        case "version" where segs.count == 1:
            return .json(200, versionBytes)
        case "healthz", "readyz", "livez":
            return .response(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("ok".utf8))
        case "api":
            if segs.count == 1 { return .json(200, discovery.coreVersions) }
            guard segs[1] == "v1" else { throw StatusError.pathNotFound }
            if segs.count == 2 { return .json(200, discovery.resourceLists["v1"] ?? []) }
            return try resource(req, catalog, attributes, user: user)
        case "apis":
            if segs.count == 1 { return .json(200, discovery.groupList) }
            if segs.count == 2 {
                guard let b = discovery.groups[String(segs[1])] else { throw StatusError.pathNotFound }
                return .json(200, b)
            }
            let gv = "\(segs[1])/\(segs[2])"
            if segs.count == 3 {
                guard let b = discovery.resourceLists[gv] else { throw StatusError.pathNotFound }
                return .json(200, b)
            }
            return try resource(req, catalog, attributes, user: user)
        case "openapi" where segs.count == 2 && segs[1] == "v2":
            return openAPIV2.serve(accept: req.accept, cluster: cluster)
        case "openapi" where servesOpenAPIV3:
            return try openAPI.serve(segs)
        default:
            throw StatusError.pathNotFound
        }
    }

    /// A request for a resource: its path as `attributes` read it (the same reading authorization
    /// used), resolved against the catalog, then handed to the verb's handler.
    private func resource(_ req: APIRequest, _ catalog: ResourceCatalog, _ a: RequestAttributes,
                          user: UserInfo) throws(StatusError) -> APIReply {
        // `/api/v1/watch/...`: the legacy watch paths older clients (python-kubernetes, ruby-kubeclient) use.
        let legacyWatch = a.legacyWatch && req.method == "GET"
        guard a.isResourceRequest, !a.extraSegments, !a.legacyWatch || legacyWatch else { throw StatusError.pathNotFound }
        let gv = a.apiGroup.isEmpty ? a.apiVersion : "\(a.apiGroup)/\(a.apiVersion)"
        // A namespace's own path (`namespaces/x`, `namespaces/x/status`) names it; it is in no namespace.
        // Only a path through `namespaces/x/` is in one (then a cluster-scoped resource is a 404).
        let ns: String? = a.namespacePrefix ? a.namespace : nil
        let name: String? = a.name.isEmpty ? nil : a.name
        let subresource: String? = a.subresource.isEmpty ? nil : a.subresource
        guard let t = catalog.lookup(groupVersion: gv, resource: a.resource) else { throw StatusError.pathNotFound }
        if !t.namespaced && ns != nil { throw StatusError.pathNotFound }
        if t.kind == "SelfSubjectAccessReview" {
            guard req.method == "POST", name == nil else { throw StatusError.methodNotAllowed(req.method) }
            return try selfSubjectAccessReview(req, t, user: user)
        }
        if t.kind == "SelfSubjectRulesReview" {
            guard req.method == "POST", name == nil else { throw StatusError.methodNotAllowed(req.method) }
            return try selfSubjectRulesReview(req, t, user: user)
        }
        var scope = Cluster.UpdateScope.main
        if let subresource, let name {
            switch subresource {
            case "status" where t.hasStatus: scope = .status
            case "finalize" where t.kind == "Namespace": scope = .main
            case "scale" where t.hasScale: scope = .scale
            case "portforward" where t.kind == "Pod": return try portForward(req, t, ns: ns, name: name)
            case "token" where t.kind == "ServiceAccount" && !t.custom: return try tokenRequest(req, t, ns: ns, name: name)
            case "log", "exec", "attach":
                guard t.kind == "Pod" else { throw StatusError.pathNotFound }
                return try podStream(req, t, ns: ns, name: name, subresource: subresource)
            default: throw StatusError.pathNotFound
            }
        }
        let strict = req.query["fieldValidation"] == "Strict"
        let dryRun = req.query["dryRun"] == "All"
        let fieldManager = try self.fieldManager(req)
        if let d = req.query["dryRun"], d != "All", req.method != "GET" {
            let kind = ["POST": "CreateOptions", "PUT": "UpdateOptions", "PATCH": "PatchOptions", "DELETE": "DeleteOptions"][req.method] ?? "CreateOptions"
            throw StatusError.invalid(kind: kind, group: "meta.k8s.io", name: "", [
                .notSupported("dryRun", GoValue.strings(d.split(separator: ",", omittingEmptySubsequences: false).map(String.init)), ["All"]),
            ])
        }
        if let f = req.query["fieldSelector"], !f.isEmpty, let selector = try? FieldSelector(parsing: f) {
            for r in selector.requirements {
                let label = r.path.joined(separator: ".")
                if !FieldSelector.supported(label, resource: t.name, custom: t.custom) {
                    throw StatusError.badRequest("field label not supported: \(label)")
                }
            }
        }
        if legacyWatch {
            guard req.method == "GET" else { throw StatusError.methodNotAllowed(req.method) }
            var fields = try req.query["fieldSelector"].flatMap { s throws(StatusError) in try s.isEmpty ? nil : FieldSelector(parsing: s) }
            if let name {
                fields = try FieldSelector(parsing: "metadata.name=\(name)" + (fields == nil ? "" : "," + (req.query["fieldSelector"] ?? "")))
            }
            return .watch(try watchRequest(req, t, ns: ns, fields: fields))
        }

        if scope == .scale, let name {
            return try scale(req, t, ns: ns, name: name, dryRun: dryRun)
        }
        let call = ResourceCall(req: req, t: t, ns: ns, scope: scope, user: user, strict: strict, dryRun: dryRun,
                                fieldManager: fieldManager)
        switch (req.method, name) {
        case ("GET", let name?): return try getOne(call, name: name)
        case ("GET", nil): return try list(call)
        case ("POST", nil): return try create(call)
        case ("PUT", let name?): return try update(call, name: name)
        case ("PATCH", let name?): return try patch(call, name: name)
        case ("DELETE", let name?): return try deleteOne(call, name: name)
        case ("DELETE", nil): return try deleteCollection(call)
        default:
            throw StatusError.methodNotAllowed(req.method)
        }
    }

    /// Kinds whose 1.20 strategy allows create on update (PUT to a missing name creates it):
    /// RBAC roles and bindings (pkg/registry/rbac/*/strategy.go), Endpoints, Events and Leases.
    static func allowsCreateOnUpdate(_ t: ResourceType) -> Bool {
        guard !t.custom else { return false }
        switch (t.group, t.kind) {
        case ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "RoleBinding"),
             ("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
             ("", "Endpoints"), ("", "Event"), ("events.k8s.io", "Event"), ("coordination.k8s.io", "Lease"):
            return true
        default:
            return false
        }
    }

    func needsEscalationCheck(_ user: UserInfo, _ t: ResourceType) -> Bool {
        authorization == .rbac && t.group == "rbac.authorization.k8s.io" && !user.groups.contains("system:masters")
    }

    func checkEscalation(_ user: UserInfo, _ t: ResourceType, _ ns: String?, _ object: JSONValue) throws(StatusError) {
        guard needsEscalationCheck(user, t) else { return }
        if let e = cluster.escalationError(user, t, namespace: ns ?? "", object: object) { throw e }
    }

    /// DeleteOptions from the body (kubectl, client-go, python-kubernetes send one) and the query.
    func deleteOptions(_ req: APIRequest) throws(StatusError) -> Cluster.DeleteOptions {
        var o = Cluster.DeleteOptions()
        if !req.body.isEmpty {
            let body = try parseJSON(req.body)
            o.propagationPolicy = body["propagationPolicy"]?.stringValue
            o.uid = body[path: "preconditions", "uid"]?.stringValue
            o.resourceVersion = body[path: "preconditions", "resourceVersion"]?.stringValue
            o.gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue
            if o.propagationPolicy == nil, let orphan = body["orphanDependents"]?.boolValue {
                o.propagationPolicy = orphan ? "Orphan" : "Background"
            }
        }
        if let p = req.query["propagationPolicy"] { o.propagationPolicy = p }
        if let g = req.query["gracePeriodSeconds"].flatMap({ Int($0) }) { o.gracePeriodSeconds = g }
        if let p = o.propagationPolicy, !["Foreground", "Background", "Orphan"].contains(p) {
            throw StatusError.invalid(kind: "DeleteOptions", group: "meta.k8s.io", name: "", [
                .notSupported("propagationPolicy", GoValue.quote(p), ["Foreground", "Background", "Orphan", "nil"]),
            ])
        }
        return o
    }

    func watchRequest(_ req: APIRequest, _ t: ResourceType, ns: String?, fields: FieldSelector?) throws(StatusError) -> WatchRequest {
        let labels = try req.query["labelSelector"].flatMap { s throws(StatusError) in try s.isEmpty ? nil : LabelSelector(parsing: s) }
        let options = try ListOptions(query: req.query, watch: true)
        return WatchRequest(
            type: t, namespace: ns, labels: labels, fields: fields,
            sinceResourceVersion: try options.parsedResourceVersion(),
            timeoutSeconds: req.query["timeoutSeconds"].flatMap { Int($0) } ?? 1800,
            table: TablePrinter.wantsTable(req.accept))
    }

    /// The `scale` subresource of Deployments and ReplicaSets, as an `autoscaling/v1` Scale.
    private func scale(_ req: APIRequest, _ t: ResourceType, ns: String?, name: String, dryRun: Bool) throws(StatusError) -> APIReply {
        var d = try cluster.get(t, namespace: ns, name: name)
        switch req.method {
        case "GET": break
        case "PUT", "PATCH":
            var body = try parseJSON(req.body)
            if req.method == "PATCH" {
                let current = Self.scaleObject(d.value)
                let ct = req.contentType.split(separator: ";").first.map { String($0).trimmingWhitespace } ?? ""
                body = ct == "application/json-patch+json" ? try JSONPatch.apply(body, to: current) : MergePatch.apply(body, to: current)
            }
            guard body[path: "spec", "replicas"]?.intValue != nil else {
                throw StatusError(code: 422, reason: "Invalid", message: "Scale.autoscaling \"\(name)\" is invalid: spec.replicas: Required value")
            }
            d = try cluster.update(t, namespace: ns, name: name, body: ["spec": ["replicas": body[path: "spec", "replicas"] ?? 1]],
                                   scope: .scale, dryRun: dryRun)
        default:
            throw StatusError.methodNotAllowed(req.method)
        }
        return .json(200, Self.scaleObject(d.value).jsonBytes())
    }

    private static func scaleObject(_ d: JSONValue) -> JSONValue {
        let meta = d["metadata"] ?? [:]
        let selector = (d[path: "spec", "selector", "matchLabels"]?.objectValue).map { sel in
            sel.keys.sorted().map { "\($0)=\(sel[$0]?.stringValue ?? "")" }.joined(separator: ",")
        } ?? ""
        return ["kind": "Scale", "apiVersion": "autoscaling/v1",
                "metadata": ["name": meta["name"] ?? "", "namespace": meta["namespace"] ?? "", "uid": meta["uid"] ?? "",
                             "resourceVersion": meta["resourceVersion"] ?? "", "creationTimestamp": meta["creationTimestamp"] ?? ""],
                "spec": ["replicas": d[path: "spec", "replicas"] ?? 1],
                "status": ["replicas": d[path: "status", "replicas"] ?? 0, "selector": .string(selector)]]
    }

    /// Server-side apply with field ownership (`Cluster.apply`).
    func serverSideApply(_ req: APIRequest, _ t: ResourceType, ns: String?, name: String, scope: Cluster.UpdateScope,
                                 strict: Bool, dryRun: Bool, manager: String, user: UserInfo) throws(StatusError) -> APIReply {
        let text = String(decoding: req.body, as: UTF8.self)
        let body: JSONValue
        do { body = try YAML.parse(text) } catch { throw StatusError.badRequest("error decoding YAML: \(error)") }
        let force = ["1", "t", "T", "true", "TRUE", "True"].contains(req.query["force"] ?? "")
        // RBAC's escalation check runs on what the apply would store, as for any other write.
        if needsEscalationCheck(user, t) {
            let (preview, _) = try cluster.apply(t, namespace: ns, name: name, config: body, manager: manager, force: force,
                                                 scope: scope, strict: strict, dryRun: true)
            try checkEscalation(user, t, ns, preview.value)
        }
        let (s, created) = try cluster.apply(t, namespace: ns, name: name, config: body, manager: manager, force: force,
                                             scope: scope, strict: strict, dryRun: dryRun)
        return .json(created ? 201 : 200, encode(s, as: t))
    }

    /// The field manager of a write: `?fieldManager=`, else the User-Agent's first segment
    /// (handlers/create.go managerOrUserAgent, v1.20), checked as metav1 validation's
    /// ValidateCreateOptions/ValidateUpdateOptions/ValidatePatchOptions check it: an apply needs one,
    /// only an apply may say `force`. Nil for a read.
    private func fieldManager(_ req: APIRequest) throws(StatusError) -> String? {
        let kind: String
        switch req.method {
        case "POST": kind = "CreateOptions"
        case "PUT": kind = "UpdateOptions"
        case "PATCH": kind = "PatchOptions"
        default: return nil
        }
        let given = req.query["fieldManager"] ?? ""
        var errors: [FieldError] = []
        if req.method == "PATCH" {
            let ct = req.contentType.split(separator: ";").first.map { String($0).trimmingWhitespace } ?? ""
            if ct != "application/apply-patch+yaml" {
                if req.query["force"] != nil { errors.append(.forbidden("force", "may not be specified for non-apply patch")) }
            } else if given.isEmpty {
                // "This field is defaulted to "kubectl" by kubectl, but HAS TO be explicitly set by controllers."
                errors.append(.required("fieldManager", "is required for apply patch"))
            }
        }
        errors += ManagedFields.validate(given)
        if !errors.isEmpty { throw StatusError.invalid(kind: kind, group: "meta.k8s.io", name: "", errors) }
        return given.isEmpty ? ManagedFields.manager(fromUserAgent: req.userAgent) : given
    }

    func parseJSON(_ body: [UInt8]) throws(StatusError) -> JSONValue {
        do { return try JSONValue(parsing: body) } catch {
            throw StatusError.badRequest("error decoding request body: \(error)")
        }
    }

    func decodeBody(_ req: APIRequest, _ t: ResourceType) throws(StatusError) -> JSONValue {
        let ct = req.contentType.split(separator: ";").first.map { String($0).trimmingWhitespace } ?? ""
        switch ct {
        case "", "application/json", "*/*":
            return try parseJSON(req.body)
        case "application/yaml":
            do { return try YAML.parse(String(decoding: req.body, as: UTF8.self)) } catch {
                throw StatusError.badRequest("error decoding YAML: \(error)")
            }
        case "application/vnd.kubernetes.protobuf":
            return try ProtobufDecoder.decode(req.body, kind: t.kind)
        default:
            throw StatusError(code: 415, reason: "UnsupportedMediaType",
                              message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
    }

    // MARK: - Encoding

    func encode(_ s: StoredObject, as t: ResourceType) -> [UInt8] {
        if s.value["apiVersion"]?.stringValue == t.groupVersion { return s.json }
        var v = s.value
        v["apiVersion"] = .string(t.groupVersion)
        return v.jsonBytes()
    }

    func encodeList(_ r: Cluster.ListResult, as t: ResourceType) -> [UInt8] {
        var meta = JSONObject()
        meta["resourceVersion"] = .string(String(r.resourceVersion))
        if let c = r.continueToken { meta["continue"] = .string(c) }
        if let n = r.remaining { meta["remainingItemCount"] = .int(n) }
        var out: [UInt8] = []
        out.reserveCapacity(128 + r.items.reduce(0) { $0 + $1.json.count + 1 })
        out += Array("{\"kind\":\"\(t.listKind)\",\"apiVersion\":\"\(t.groupVersion)\",\"metadata\":".utf8)
        out += JSONValue.object(meta).jsonBytes()
        out += Array(",\"items\":[".utf8)
        for (i, s) in r.items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += encode(s, as: t)
        }
        out += Array("]}".utf8)
        return out
    }
}
