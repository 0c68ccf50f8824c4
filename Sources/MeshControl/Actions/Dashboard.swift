import KubeClient
import ObjectModel

/// `osm dashboard`: finds the mesh's running Grafana pod through the `osm-grafana` Service's
/// selector and forwards a local port to it, as upstream's `cmd/cli/dashboard.go`.
package struct Dashboard: Sendable {
    package static let grafanaServiceName = "osm-grafana"
    package static let grafanaWebPort = 3000

    package var osmNamespace: String
    package var localPort: Int
    package var remotePort: Int

    package init(osmNamespace: String, localPort: Int = Dashboard.grafanaWebPort, remotePort: Int = Dashboard.grafanaWebPort) {
        self.osmNamespace = osmNamespace
        self.localPort = localPort
        self.remotePort = remotePort
    }

    /// The first running pod the Grafana Service selects.
    package func grafanaPod(client: any KubeAPI) throws -> String {
        let service: JSONValue
        do {
            service = try client.get(.services, namespace: osmNamespace, name: Self.grafanaServiceName)
        } catch {
            throw OSMError("Failed to get OSM Grafana service data: \(error.message)", cause: error)
        }
        let selector = service.serviceSelector ?? [:]
        let labelSelector = selector.keys.sorted().map { "\($0)=\(selector[$0]!)" }.joined(separator: ",")
        let pods: [JSONValue]
        do {
            pods = try client.list(.pods, namespace: osmNamespace, labelSelector: labelSelector)
        } catch {
            throw OSMError("Error listing pods: \(error.message)", cause: error)
        }
        guard let pod = pods.first(where: { $0.phase == "Running" }),
              let name = pod.metadata.name else {
            throw OSMError(.notReady, "No running Grafana pod available")
        }
        return name
    }

    /// Starts forwarding `localPort` to the Grafana pod after checking, with one tunnel, that
    /// the API server lets us through. `log` gets kubectl-style lines about failed connections.
    package func start(client: any KubeAPI, log: @escaping @Sendable (String) -> Void) throws -> LocalPortForwarder {
        let pod = try grafanaPod(client: client)
        do {
            let probe = try client.portForward(namespace: osmNamespace, pod: pod, port: remotePort)
            probe.close()
        } catch {
            throw OSMError("Port forwarding failed: \(error.message)", cause: error)
        }
        let forwarder = LocalPortForwarder(client: client, namespace: osmNamespace, pod: pod,
                                           localPort: localPort, remotePort: remotePort, log: log)
        do {
            try forwarder.start()
        } catch {
            throw OSMError("Port forwarding failed: \(error.message); pick a free port with --local-port", cause: error)
        }
        return forwarder
    }
}
