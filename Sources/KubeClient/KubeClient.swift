#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurlLoader
import ObjectModel

/// A client for one Kubernetes cluster, chosen the way kubectl chooses it. Thread-safe: any
/// number of threads may call it at once, sharing connections.
package final class KubeClient: KubeAPI, @unchecked Sendable {
    let transport: Transport
    let config: ClientConfig

    /// Loads the kubeconfig (or in-cluster service account) and checks it; no network.
    package init(options: ClientOptions) throws(KubeError) {
        let logger = RequestLogger(verbosity: options.verbosity, sink: options.logSink, secretsInBody: options.secretsInBody)
        var loader = KubeconfigLoader(options: options)
        loader.log = { line in logger.log(6, line) }
        let config = try loader.load()
        if osm_curl_load() != 0 {
            throw KubeError(.other, String(cString: osm_curl_load_error()))
        }
        self.config = config
        self.transport = try Transport(config: config, options: options, logger: logger)
    }

    /// The API server's URL.
    package var server: String { config.server }
    package var contextName: String { config.contextName }
    package var clusterName: String { config.clusterName }
    package var userName: String { config.userName }
    /// The context's namespace, or `default`.
    package var defaultNamespace: String { config.namespace }
    /// Where the configuration came from, for messages: `kubeconfig /root/.kube/config`.
    package var configSource: String { config.source }
    package var requestTimeout: Double? { transport.options.requestTimeout }

    /// Requests sent and TCP connections (each with its TLS handshake) opened so far.
    package var transportStats: (requests: Int, connections: Int) { let s = transport.engine.stats; return (s.transfers, s.connections) }

    // MARK: Paths

    func path(_ r: APIResource, namespace: String?, name: String?, subresource: String? = nil) -> String {
        KubeRequest.path(r, namespace: namespace, name: name, subresource: subresource)
    }

    // MARK: Requests

    /// Sends a request and decodes its JSON body; any non-2xx becomes a typed `KubeError`.
    /// Unless `allowEmpty`, the answer must be a JSON object: an empty or other body is an error,
    /// never a success.
    func call(_ request: HTTPRequest, allowEmpty: Bool = false) throws(KubeError) -> JSONValue {
        let (response, attempts) = try transport.send(request)
        return try decode(response, attempts: attempts, request: request, allowEmpty: allowEmpty)
    }

    /// A built request, with its own rule for an empty answer (a DELETE may have none).
    func call(_ request: KubeRequest) throws(KubeError) -> JSONValue {
        if let invalid = request.invalid { throw invalid }
        return try call(request.request, allowEmpty: request.allowEmpty)
    }

    /// The checks of `call` on an answer already received (`send` uses them for every answer of a batch).
    func decode(_ response: HTTPResponse, attempts: Int, request: HTTPRequest, allowEmpty: Bool = false) throws(KubeError) -> JSONValue {
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
        var used = 0
        let decoded = transport.decodedBudget
        do {
            value = try JSONValue(parsing: response.body, memoryLimit: decoded.remaining, memoryUsed: &used)
        } catch is JSONTooLargeError {
            _ = decoded.take(decoded.limit)
            throw KubeError(.protocolError,
                "the API server's answers to this command would take more than \(decoded.limitText) of memory once read (at \(request.method) \(transport.url(for: request.path)), \(response.body.count >> 20) MiB of JSON), far more than any real cluster sends; check that the server address in \(config.source) points at a Kubernetes API server")
        } catch {
            throw unexpectedAnswer(request, "a body that is not JSON (\(error))")
        }
        _ = decoded.take(used)
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
    package func addSecret(_ secret: String) { transport.logger.addSecret(secret) }

    /// A raw GET of any API path (`/version`, `/apis`, `/healthz`...).
    package func getPath(_ path: String) throws(KubeError) -> JSONValue {
        try call(KubeRequest.getPath(path))
    }

    package func get(_ r: APIResource, namespace: String? = nil, name: String) throws(KubeError) -> JSONValue {
        try call(KubeRequest.get(r, namespace: namespace, name: name))
    }

    /// Every object matching the selectors, fetched in pages of 500 (following `continue`).
    /// Items get `apiVersion` and `kind`, which list responses leave out.
    package func list(_ r: APIResource, namespace: String? = nil, labelSelector: String? = nil,
                     fieldSelector: String? = nil) throws(KubeError) -> [JSONValue] {
        try list(r, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector, after: [], continueToken: nil)
    }

    /// `list`, going on from pages already read (`items`, then `continueToken`), as `send` does
    /// for a list whose first page came in a batch.
    func list(_ r: APIResource, namespace: String?, labelSelector: String?, fieldSelector: String?,
              after items: [JSONValue], continueToken: String?) throws(KubeError) -> [JSONValue] {
        try KubeRequest.checkNamespace(r, namespace, "list")
        var items = items
        var token = continueToken
        var pages = 0
        var paged = true
        while pages < 100_000 {
            var page: JSONValue
            let request = KubeRequest.listPage(r, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                                               paged: paged, continueToken: token)
            do {
                page = try call(request)
            } catch where error.code == 410 && token != nil {
                // The continue token expired (the list changed too much meanwhile): start over in one piece, as kubectl does.
                items = []
                token = nil
                paged = false
                continue
            }
            token = page[path: "metadata", "continue"]?.stringValue
            items += try listItems(taking: &page, r, request)
            if token?.isEmpty == true { token = nil }
            pages += 1
            if token == nil { break }
        }
        return items
    }

    /// A list page's items, typed; `items` must be a list of objects (or absent as null).
    /// Takes the page apart (it is `.null` afterwards) so that each item is typed in place and a
    /// big page never exists twice in memory.
    func listItems(taking page: inout JSONValue, _ r: APIResource, _ request: HTTPRequest) throws(KubeError) -> [JSONValue] {
        var field: JSONValue? = nil
        if case .object(var o) = page {
            page = .null
            field = o["items"]
            o["items"] = nil
        }
        var items: [JSONValue]
        switch field {
        case .array?:
            guard case .array(let a)? = field else { return [] }
            field = nil
            items = a
        case .null?: items = []
        case let other:
            throw unexpectedAnswer(request, other.map { "\"items\" is \(Self.shape($0)), not a list" } ?? "a list without \"items\"")
        }
        for i in items.indices {
            guard items[i].objectValue != nil else {
                throw unexpectedAnswer(request, "an item of \"items\" is \(Self.shape(items[i])), not an object")
            }
            let typed = Self.typed(items[i], r)
            items[i] = typed
        }
        return items
    }

    static func typed(_ item: JSONValue, _ r: APIResource) -> JSONValue {
        guard case .object(let o) = item, o["apiVersion"] == nil || o["kind"] == nil else { return item }
        var out = JSONObject()
        out.reserveCapacity(o.count + 2)
        out["apiVersion"] = o["apiVersion"] ?? .string(r.groupVersion)
        out["kind"] = o["kind"] ?? .string(r.kind)
        for (k, v) in o where k != "apiVersion" && k != "kind" { out[k] = v }
        return .object(out)
    }

    package func create(_ r: APIResource, namespace: String? = nil, _ object: JSONValue) throws(KubeError) -> JSONValue {
        try call(KubeRequest.create(r, namespace: namespace, object))
    }

    /// Replaces a whole object (PUT); `metadata.resourceVersion` makes it conditional.
    package func update(_ r: APIResource, namespace: String? = nil, name: String, _ object: JSONValue) throws(KubeError) -> JSONValue {
        try KubeRequest.checkName(name, "update", r)
        try KubeRequest.checkNamespace(r, namespace, "update")
        return try call(HTTPRequest(method: "PUT", path: path(r, namespace: namespace, name: name), body: object.jsonBytes(),
                                    contentType: "application/json", idempotent: object[path: "metadata", "resourceVersion"] != nil,
                                    verb: "update", resource: r.description, namespace: r.namespaced ? namespace : nil, name: name))
    }

    package func patch(_ r: APIResource, namespace: String? = nil, name: String, _ patch: JSONValue,
                      type: PatchType = .merge) throws(KubeError) -> JSONValue {
        try call(KubeRequest.patch(r, namespace: namespace, name: name, patch, type: type))
    }

    package func delete(_ r: APIResource, namespace: String? = nil, name: String,
                       propagationPolicy: String? = "Background") throws(KubeError) {
        _ = try call(KubeRequest.delete(r, namespace: namespace, name: name, propagationPolicy: propagationPolicy))
    }

    package func serverVersion() throws(KubeError) -> ServerVersion {
        ServerVersion(json: try getPath("/version"))
    }

    /// Every group version the server serves: `v1`, `apps/v1`, `apiextensions.k8s.io/v1beta1`...
    package func servedGroupVersions() throws(KubeError) -> Set<String> {
        let documents = send([KubeRequest.getPath("/api"), KubeRequest.getPath("/apis")])
        return Self.groupVersions(core: try documents[0].get(), groups: try documents[1].get())
    }

    /// The group versions named by the documents of `/api` and `/apis`.
    package static func groupVersions(core: JSONValue, groups: JSONValue) -> Set<String> {
        var out = Set<String>()
        for v in core["versions"]?.arrayValue ?? [] { if let s = v.stringValue { out.insert(s) } }
        for g in groups["groups"]?.arrayValue ?? [] {
            for v in g["versions"]?.arrayValue ?? [] {
                if let gv = v["groupVersion"]?.stringValue { out.insert(gv) }
            }
        }
        return out
    }
}
