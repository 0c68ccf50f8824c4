import ObjectModel

/// The cluster calls osm's actions make, as Helm's actions take `kube.Interface`: `KubeClient`
/// answers them from a server; a test can answer them from memory. Actions take
/// `client: any KubeAPI`, so their logic can be tested without a server.
///
/// A conforming type implements the six single calls; `send` (the batch) and
/// `addSecret` have defaults that run one call after another, which `KubeClient` replaces with
/// its concurrent versions. The shorter forms (`list(.pods, namespace: ns)`, `get(.namespaces,
/// name: n)`...) and the request builders (`listRequest`...) come with the protocol.
package protocol KubeAPI: AnyObject, Sendable {
    /// A raw GET of any API path (`/version`, `/api`, `/apis`...).
    func getPath(_ path: String) throws(KubeError) -> JSONValue
    func get(_ r: APIResource, namespace: String?, name: String) throws(KubeError) -> JSONValue
    /// Every object matching the selectors; items carry `apiVersion` and `kind`.
    func list(_ r: APIResource, namespace: String?, labelSelector: String?, fieldSelector: String?) throws(KubeError) -> [JSONValue]
    func create(_ r: APIResource, namespace: String?, _ object: JSONValue) throws(KubeError) -> JSONValue
    func patch(_ r: APIResource, namespace: String?, name: String, _ patch: JSONValue, type: PatchType) throws(KubeError) -> JSONValue
    func delete(_ r: APIResource, namespace: String?, name: String, propagationPolicy: String?) throws(KubeError)

    /// Every request's answer, in order (a list answers `.array` of its items).
    func send(_ requests: [KubeRequest]) -> [Result<JSONValue, KubeError>]
    /// A value never to appear in a log line or a printed error.
    func addSecret(_ secret: String)

    /// How long one request may take (nil: no bound); tunnels use it as their idle bound.
    var requestTimeout: Double? { get }

    /// A tunnel to `port` of a pod (`pods/portforward`); the default opens none.
    func portForward(namespace: String, pod: String, port: Int) throws(KubeError) -> PortForwardTunnel
    /// Each `GET` through a tunnel of its own, at most `maxInFlight` open at once; answers in order.
    func portForwardGet(_ gets: [PortForwardGet], maxInFlight: Int) -> [Result<PortForwardAnswer, PortForwardGetFailure>]
    /// One `GET` through a tunnel, its answer streamed: `head` first, then `body` as it arrives.
    /// Throws the `KubeError` of a tunnel that did not open, `PortForwardTunnel.HTTPFailure`, or
    /// what the callbacks throw.
    func portForwardStream(_ get: PortForwardGet, head: (PortForwardTunnel.HTTPHead) throws -> Void,
                           body: ([UInt8]) throws -> Void) throws
}

extension KubeAPI {
    /// The single call a request stands for.
    package func perform(_ request: KubeRequest) throws(KubeError) -> JSONValue {
        switch request.operation {
        case .getPath(let p): return try getPath(p)
        case .get(let r, let ns, let name): return try get(r, namespace: ns, name: name)
        case .list(let r, let ns, let l, let f): return .array(try list(r, namespace: ns, labelSelector: l, fieldSelector: f))
        case .create(let r, let ns, let o): return try create(r, namespace: ns, o)
        case .patch(let r, let ns, let name, let p, let t): return try patch(r, namespace: ns, name: name, p, type: t)
        case .delete(let r, let ns, let name, let policy):
            try delete(r, namespace: ns, name: name, propagationPolicy: policy)
            return .null
        }
    }

    /// One after another.
    package func send(_ requests: [KubeRequest]) -> [Result<JSONValue, KubeError>] {
        requests.map { r in Result { () throws(KubeError) -> JSONValue in try perform(r) } }
    }

    package func addSecret(_ secret: String) {}

    package var requestTimeout: Double? { nil }

    package func portForward(namespace: String, pod: String, port: Int) throws(KubeError) -> PortForwardTunnel {
        throw KubeError(.other, "\(type(of: self)) opens no port-forward tunnels (to \(namespace)/\(pod):\(port))")
    }

    /// One after another, each through `portForwardStream`.
    package func portForwardGet(_ gets: [PortForwardGet], maxInFlight: Int) -> [Result<PortForwardAnswer, PortForwardGetFailure>] {
        gets.map { get in
            var answer = PortForwardAnswer(status: 0, statusLine: "", body: [])
            do {
                try portForwardStream(get, head: { answer.status = $0.status; answer.statusLine = $0.statusLine },
                                      body: { bytes throws(PortForwardGetFailure) in
                                          guard answer.body.count + bytes.count <= get.limit else { throw .tooLarge(limit: get.limit) }
                                          answer.body += bytes
                                      })
                return .success(answer)
            } catch let e as PortForwardGetFailure {
                return .failure(e)
            } catch let e as KubeError {
                return .failure(.portForward(e))
            } catch let e as PortForwardTunnel.HTTPFailure {
                return .failure(.http(e))
            } catch {
                return .failure(.portForward(KubeError(.other, "\(error)")))
            }
        }
    }

    /// Through `portForward`'s tunnel, closed at the end.
    package func portForwardStream(_ get: PortForwardGet, head: (PortForwardTunnel.HTTPHead) throws -> Void,
                                  body: ([UInt8]) throws -> Void) throws {
        let tunnel = try portForward(namespace: get.namespace, pod: get.pod, port: get.port)
        defer { tunnel.close() }
        try tunnel.httpGet(get.target, host: get.host, head: head, body: body)
    }

    // MARK: Shorter forms

    package func get(_ r: APIResource, name: String) throws(KubeError) -> JSONValue {
        try get(r, namespace: nil, name: name)
    }

    package func list(_ r: APIResource, namespace: String? = nil, labelSelector: String? = nil) throws(KubeError) -> [JSONValue] {
        try list(r, namespace: namespace, labelSelector: labelSelector, fieldSelector: nil)
    }

    package func create(_ r: APIResource, _ object: JSONValue) throws(KubeError) -> JSONValue {
        try create(r, namespace: nil, object)
    }

    package func patch(_ r: APIResource, name: String, _ patch: JSONValue, type: PatchType = .merge) throws(KubeError) -> JSONValue {
        try self.patch(r, namespace: nil, name: name, patch, type: type)
    }

    package func patch(_ r: APIResource, namespace: String?, name: String, _ patch: JSONValue) throws(KubeError) -> JSONValue {
        try self.patch(r, namespace: namespace, name: name, patch, type: .merge)
    }

    package func delete(_ r: APIResource, namespace: String? = nil, name: String) throws(KubeError) {
        try delete(r, namespace: namespace, name: name, propagationPolicy: "Background")
    }

    // MARK: Requests for `send`

    package func getRequest(_ r: APIResource, namespace: String? = nil, name: String) throws(KubeError) -> KubeRequest {
        try KubeRequest.get(r, namespace: namespace, name: name)
    }

    package func getPathRequest(_ path: String) -> KubeRequest { KubeRequest.getPath(path) }

    package func listRequest(_ r: APIResource, namespace: String? = nil, labelSelector: String? = nil,
                            fieldSelector: String? = nil) -> KubeRequest {
        KubeRequest.list(r, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector)
    }

    package func createRequest(_ r: APIResource, namespace: String? = nil, _ object: JSONValue) throws(KubeError) -> KubeRequest {
        try KubeRequest.create(r, namespace: namespace, object)
    }

    package func patchRequest(_ r: APIResource, namespace: String? = nil, name: String, _ patch: JSONValue,
                             type: PatchType = .merge) throws(KubeError) -> KubeRequest {
        try KubeRequest.patch(r, namespace: namespace, name: name, patch, type: type)
    }

    package func deleteRequest(_ r: APIResource, namespace: String? = nil, name: String,
                              propagationPolicy: String? = "Background") throws(KubeError) -> KubeRequest {
        try KubeRequest.delete(r, namespace: namespace, name: name, propagationPolicy: propagationPolicy)
    }
}
