import KubeClient
import ObjectModel

/// `osm proxy get QUERY POD`: a GET of Envoy's admin interface (port 15000) in a meshed pod,
/// through a port-forward tunnel, as upstream's `cmd/cli/proxy_get.go`.
package struct ProxyGet: Sendable {
    /// osm-controller gives every pod of the mesh this label (upstream's `isMeshedPod`).

    package var query: String
    package var pod: String
    package var namespace: String
    /// Upstream binds this local port for its tunnel; here it only names the `Host` of the request.
    package var localPort: Int

    package init(query: String, pod: String, namespace: String, localPort: Int = MeshConstants.envoyAdminPort) {
        self.query = query
        self.pod = pod
        self.namespace = namespace
        self.localPort = localPort
    }

    /// The pod after upstream's checks: it exists, is in a mesh, and runs.
    package func checkPod(client: any KubeAPI) throws -> JSONValue {
        let object: JSONValue
        do {
            object = try client.get(.pods, namespace: namespace, name: pod)
        } catch let e where e.kind == .notFound {
            throw OSMError("Could not find pod \(pod) in namespace \(namespace)", cause: e)
        } catch {
            throw OSMError("Could not find pod \(pod) in namespace \(namespace): \(error.message)", cause: error)
        }
        guard object.metadata.label(MeshConstants.proxyUUIDLabel) != nil else {
            throw OSMError(.notInMesh, "Pod \(pod) in namespace \(namespace) is not a part of a mesh")
        }
        guard object.phase == "Running" else {
            throw OSMError(.notReady, "Pod \(pod) in namespace \(namespace) is not running")
        }
        return object
    }

    /// Fetches `/QUERY` from the pod's Envoy and hands the body to `body` as it arrives (bytes
    /// as Envoy sent them); `head` sees the status first. Returns the HTTP status.
    @discardableResult
    package func run(client: any KubeAPI, head: (Int, String) throws -> Void = { _, _ in },
                    body: ([UInt8]) throws -> Void) throws -> Int {
        _ = try checkPod(client: client)
        let failed = { (why: String, cause: KubeError?) in
            let message = "Error retrieving proxy config for pod \(pod) in namespace \(namespace): \(why)"
            return cause.map { OSMError(message, cause: $0) } ?? OSMError(message)
        }
        // As upstream's `http.Get`, a URL Go cannot parse is refused before anything is sent.
        let target: String
        do { target = try HTTPRequestTarget.goRequestURI(query) } catch {
            throw failed("Error fetching url \(ServerText.printable(url)): parse \(GoFormat.quoted(url)): \(error.reason)", nil)
        }
        var status = 0
        let get = PortForwardGet(namespace: namespace, pod: pod, port: MeshConstants.envoyAdminPort, target: target,
                                 host: "localhost:\(localPort)", limit: .max)
        do {
            try client.portForwardStream(get, head: { h in status = h.status; try head(h.status, h.statusLine) }, body: body)
        } catch let e as KubeError {
            throw failed(e.message, e)
        } catch let e as PortForwardTunnel.HTTPFailure {
            throw failed(e.message, nil)
        }
        return status
    }

    /// The request target as given, after the slash upstream's URL puts before it, printable.
    package var target: String { ServerText.printable("/" + query) }

    /// The URL upstream fetches.
    var url: String { "http://localhost:\(localPort)/" + query }
}
