#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurlLoader
import YAML

/// A client for one Kubernetes cluster, chosen the way kubectl chooses it. Thread-safe: any
/// number of threads may call it at once, sharing connections.
public final class KubeClient: @unchecked Sendable {
    let transport: Transport
    let config: ClientConfig

    /// Loads the kubeconfig (or in-cluster service account) and checks it; no network.
    public init(options: ClientOptions) throws(KubeError) {
        let logger = RequestLogger(verbosity: options.verbosity, sink: options.logSink)
        var loader = KubeconfigLoader(options: options)
        loader.log = { line in logger.log(6, line) }
        let config = try loader.load()
        if osm_curl_load() != 0 {
            throw KubeError(.other, String(cString: osm_curl_load_error()))
        }
        self.config = config
        self.transport = try Transport(config: config, options: options, logger: logger)
    }

    deinit { transport.engine.shutdown() }

    /// The API server's URL.
    public var server: String { config.server }
    public var contextName: String { config.contextName }
    public var clusterName: String { config.clusterName }
    public var userName: String { config.userName }
    /// The context's namespace, or `default`.
    public var defaultNamespace: String { config.namespace }
    /// Where the configuration came from, for messages: `kubeconfig /root/.kube/config`.
    public var configSource: String { config.source }

    /// Requests sent and TCP connections (each with its TLS handshake) opened so far.
    public var transportStats: (requests: Int, connections: Int) { let s = transport.engine.stats; return (s.transfers, s.connections) }

    // MARK: Paths

    func path(_ r: APIResource, namespace: String?, name: String?, subresource: String? = nil) -> String {
        var p = r.group.isEmpty ? "/api/\(r.version)" : "/apis/\(r.group)/\(r.version)"
        if r.namespaced, let ns = namespace, !ns.isEmpty { p += "/namespaces/\(URLEncoding.pathSegment(ns))" }
        p += "/\(r.resource)"
        if let name { p += "/\(URLEncoding.pathSegment(name))" }
        if let subresource { p += "/\(subresource)" }
        return p
    }

    private func checkName(_ name: String, _ verb: String, _ r: APIResource) throws(KubeError) {
        guard !name.isEmpty else {
            throw KubeError(.invalid, "resource name may not be empty (\(verb) \(r))")
        }
    }

    private func checkNamespace(_ r: APIResource, _ namespace: String?, _ verb: String) throws(KubeError) {
        if r.namespaced && (namespace ?? "").isEmpty && verb != "list" {
            throw KubeError(.invalid, "\(verb) \(r) needs a namespace; \(r.kind) is a namespaced kind")
        }
    }

    // MARK: Requests

    /// Sends a request and decodes its JSON body; any non-2xx becomes a typed `KubeError`.
    /// Unless `allowEmpty`, the answer must be a JSON object: an empty or other body is an error,
    /// never a success.
    func call(_ request: HTTPRequest, allowEmpty: Bool = false) throws(KubeError) -> JSONValue {
        let (response, attempts) = try transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw KubeError.fromResponse(response, request: request, config: config,
                                         url: transport.url(for: request.path), attempts: attempts,
                                         scrub: transport.logger.scrub)
        }
        if response.body.isEmpty {
            if allowEmpty { return .null }
            throw unexpectedAnswer(request, "an empty body")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: response.body)
        } catch {
            throw unexpectedAnswer(request, "a body that is not JSON (\(error))")
        }
        guard allowEmpty || value.objectValue != nil else {
            throw unexpectedAnswer(request, "\(Self.shape(value)) where an object was expected")
        }
        return value
    }

    func unexpectedAnswer(_ request: HTTPRequest, _ what: String) -> KubeError {
        KubeError(.protocolError,
            "unexpected answer from the API server to \(request.method) \(transport.url(for: request.path)): \(what); check that the server address in \(config.source) points at a Kubernetes API server")
    }

    static func shape(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// A value that must never appear in a log line or a printed error (e.g. a Vault token sent in an object).
    public func addSecret(_ secret: String) { transport.logger.addSecret(secret) }

    /// A raw GET of any API path (`/version`, `/apis`, `/healthz`...).
    public func getPath(_ path: String) throws(KubeError) -> JSONValue {
        try call(HTTPRequest(method: "GET", path: path, idempotent: true, verb: "get"))
    }

    public func get(_ r: APIResource, namespace: String? = nil, name: String) throws(KubeError) -> JSONValue {
        try checkName(name, "get", r)
        try checkNamespace(r, namespace, "get")
        return try call(HTTPRequest(method: "GET", path: path(r, namespace: namespace, name: name), idempotent: true,
                                    verb: "get", resource: r.description, namespace: r.namespaced ? namespace : nil, name: name))
    }

    /// Every object matching the selectors, fetched in pages of 500 (following `continue`).
    /// Items get `apiVersion` and `kind`, which list responses leave out.
    public func list(_ r: APIResource, namespace: String? = nil, labelSelector: String? = nil,
                     fieldSelector: String? = nil) throws(KubeError) -> [JSONValue] {
        var items: [JSONValue] = []
        var token: String? = nil
        var pages = 0
        var paged = true
        while pages < 100_000 {
            var query: [(String, String)] = []
            if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
            if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
            if paged { query.append(("limit", "500")) }
            if let token { query.append(("continue", token)) }
            let p = path(r, namespace: namespace, name: nil) + "?" + URLEncoding.query(query)
            let page: JSONValue
            do {
                page = try call(HTTPRequest(method: "GET", path: p, idempotent: true, verb: "list",
                                            resource: r.description, namespace: r.namespaced ? namespace : nil))
            } catch where error.code == 410 && token != nil {
                // The continue token expired (the list changed too much meanwhile): start over in one piece, as kubectl does.
                items = []
                token = nil
                paged = false
                continue
            }
            let pageItems: [JSONValue]
            switch page["items"] {
            case .array(let a)?: pageItems = a
            case .null?: pageItems = []
            case let other:
                throw unexpectedAnswer(HTTPRequest(method: "GET", path: p, idempotent: true, verb: "list"),
                                       other.map { "\"items\" is \(Self.shape($0)), not a list" } ?? "a list without \"items\"")
            }
            for item in pageItems {
                guard item.objectValue != nil else {
                    throw unexpectedAnswer(HTTPRequest(method: "GET", path: p, idempotent: true, verb: "list"), "an item of \"items\" is \(Self.shape(item)), not an object")
                }
                items.append(Self.typed(item, r))
            }
            token = page[path: "metadata", "continue"]?.stringValue
            if token?.isEmpty == true { token = nil }
            pages += 1
            if token == nil { break }
        }
        return items
    }

    static func typed(_ item: JSONValue, _ r: APIResource) -> JSONValue {
        guard case .object(let o) = item, o["apiVersion"] == nil || o["kind"] == nil else { return item }
        var out = JSONObject()
        out["apiVersion"] = o["apiVersion"] ?? .string(r.groupVersion)
        out["kind"] = o["kind"] ?? .string(r.kind)
        for (k, v) in o where k != "apiVersion" && k != "kind" { out[k] = v }
        return .object(out)
    }

    public func create(_ r: APIResource, namespace: String? = nil, _ object: JSONValue) throws(KubeError) -> JSONValue {
        let ns = r.namespaced ? (namespace ?? object[path: "metadata", "namespace"]?.stringValue) : nil
        try checkNamespace(r, ns, "create")
        return try call(HTTPRequest(method: "POST", path: path(r, namespace: ns, name: nil), body: object.jsonBytes(),
                                    contentType: "application/json", idempotent: false, verb: "create",
                                    resource: r.description, namespace: ns, name: object[path: "metadata", "name"]?.stringValue))
    }

    /// Replaces a whole object (PUT); `metadata.resourceVersion` makes it conditional.
    public func update(_ r: APIResource, namespace: String? = nil, name: String, _ object: JSONValue) throws(KubeError) -> JSONValue {
        try checkName(name, "update", r)
        try checkNamespace(r, namespace, "update")
        return try call(HTTPRequest(method: "PUT", path: path(r, namespace: namespace, name: name), body: object.jsonBytes(),
                                    contentType: "application/json", idempotent: object[path: "metadata", "resourceVersion"] != nil,
                                    verb: "update", resource: r.description, namespace: r.namespaced ? namespace : nil, name: name))
    }

    public func patch(_ r: APIResource, namespace: String? = nil, name: String, _ patch: JSONValue,
                      type: PatchType = .merge) throws(KubeError) -> JSONValue {
        try checkName(name, "patch", r)
        try checkNamespace(r, namespace, "patch")
        // A merge patch states the end result, so sending it twice is harmless; a JSON patch may not be.
        return try call(HTTPRequest(method: "PATCH", path: path(r, namespace: namespace, name: name), body: patch.jsonBytes(),
                                    contentType: type.contentType, idempotent: type != .json, verb: "patch",
                                    resource: r.description, namespace: r.namespaced ? namespace : nil, name: name))
    }

    public func delete(_ r: APIResource, namespace: String? = nil, name: String,
                       propagationPolicy: String? = "Background") throws(KubeError) {
        try checkName(name, "delete", r)
        try checkNamespace(r, namespace, "delete")
        var body: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy) }
        _ = try call(HTTPRequest(method: "DELETE", path: path(r, namespace: namespace, name: name), body: body.jsonBytes(),
                                 contentType: "application/json", idempotent: false, verb: "delete",
                                 resource: r.description, namespace: r.namespaced ? namespace : nil, name: name), allowEmpty: true)
    }

    public func serverVersion() throws(KubeError) -> ServerVersion {
        ServerVersion(json: try getPath("/version"))
    }

    /// Every group version the server serves: `v1`, `apps/v1`, `apiextensions.k8s.io/v1beta1`...
    public func servedGroupVersions() throws(KubeError) -> Set<String> {
        var out = Set<String>()
        let paths = ["/api", "/apis"]
        let documents = concurrently(paths.count) { (i: Int) throws(KubeError) in try self.getPath(paths[i]) }
        let core = try documents[0].get()
        for v in core["versions"]?.arrayValue ?? [] { if let s = v.stringValue { out.insert(s) } }
        let groups = try documents[1].get()
        for g in groups["groups"]?.arrayValue ?? [] {
            for v in g["versions"]?.arrayValue ?? [] {
                if let gv = v["groupVersion"]?.stringValue { out.insert(gv) }
            }
        }
        return out
    }

    /// Runs body(i) for i in 0..<count with at most maxInFlight at once over shared connections; results in order.
    public func concurrently<T: Sendable>(_ count: Int, maxInFlight: Int = 32,
                                          _ body: @Sendable (Int) throws(KubeError) -> T) -> [Result<T, KubeError>] {
        guard count > 0 else { return [] }
        let results = ResultSlots<T>(count: count)
        var workers = max(1, min(maxInFlight, count))
        if !transport.multiplexes {
            // Over HTTP/1.1 a new connection costs a TCP and TLS handshake, several times a
            // request on loopback: only open one per eight requests.
            workers = min(workers, max(1, count / 8))
        }
        if workers == 1 {
            var unreachable: KubeError? = nil
            for i in 0..<count {
                // One after another, a server that stopped answering would cost a full timeout per
                // request: the first timeout or lost connection answers for the rest.
                if let unreachable { results.set(i, .failure(unreachable)); continue }
                let r = Result { () throws(KubeError) -> T in try body(i) }
                if case .failure(let e) = r, e.kind == .timeout || e.kind == .connection { unreachable = e }
                results.set(i, r)
            }
            return results.values()
        }
        WorkerThreads.run(workers: workers, jobs: count) { i in
            results.set(i, Result { () throws(KubeError) -> T in try body(i) })
        }
        return results.values()
    }
}
