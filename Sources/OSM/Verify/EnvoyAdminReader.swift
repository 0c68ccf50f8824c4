import KubeClient
import YAML

/// Reads a path of a pod's Envoy admin interface (port 15000) through a port-forward tunnel,
/// the way `osm proxy get` does, into memory for `osm verify`.
public enum EnvoyAdminReader {
    /// A config_dump of a large mesh is a few MiB; anything past this is not one.
    static let limit = 256 << 20

    public static func make(client: KubeClient, userAgent: String) -> EgressConnectivityVerifier.AdminReader {
        { namespace, pod, path in
            let tunnel: PortForwardTunnel
            do throws(KubeError) {
                tunnel = try client.portForward(namespace: namespace, pod: pod, port: EnvoyEgressConfig.adminPort)
            } catch {
                throw OSMError("port-forward to \(namespace)/\(pod):\(EnvoyEgressConfig.adminPort): \(error.message)", cause: error)
            }
            defer { tunnel.close() }
            var status = 0
            var statusLine = ""
            var body: [UInt8] = []
            do {
                try tunnel.httpGet("/" + path, host: "localhost:\(EnvoyEgressConfig.adminPort)", userAgent: userAgent,
                                   head: { h in status = h.status; statusLine = h.statusLine },
                                   body: { chunk in
                                       body += chunk
                                       if body.count > limit { throw OSMError("Envoy's /\(path) is larger than \(limit >> 20) MiB") }
                                   })
            } catch let e as PortForwardTunnel.HTTPFailure {
                throw OSMError("reading Envoy's /\(path) through the tunnel: \(e.message)")
            }
            guard status == 200 else {
                throw OSMError("Envoy's admin interface answered /\(path) with \(GoFormat.quoted(statusLine))")
            }
            return body
        }
    }
}
