import KubeClient
import ObjectModel

/// `osm metrics enable|disable --namespace NS,...`: annotate each namespace for metrics (the
/// controller then configures new pods) and set or clear the Prometheus scraping annotations on
/// its pods that already have a sidecar. As upstream: the namespaces one after the other, each
/// must be in an existing mesh, and the first failure stops the command.
package struct MetricsToggle: Sendable {
    package static let metricsAnnotation = "openservicemesh.io/metrics"
    package static let scrapeAnnotation = "prometheus.io/scrape"
    package static let portAnnotation = "prometheus.io/port"
    package static let pathAnnotation = "prometheus.io/path"
    /// Envoy's inbound listener port for Prometheus, and the path it serves stats on.
    package static let scrapePort = "15010"
    package static let scrapePath = "/stats/prometheus"

    package var namespaces: [String]
    package var enable: Bool

    package init(namespaces: [String], enable: Bool) {
        self.namespaces = namespaces
        self.enable = enable
    }

    private var verb: String { enable ? "enable" : "disable" }

    /// Runs namespace by namespace; `report` gets upstream's line for each one done.
    package func run(client: any KubeAPI, report: (String) -> Void) throws {
        var meshNames: [String]? = nil
        for raw in namespaces {
            let ns = raw.trimmingWhitespace
            let namespace: JSONValue
            do throws(KubeError) {
                namespace = try client.get(.namespaces, name: ns)
            } catch {
                throw OSMError("Failed to retrieve namespace [\(ns)]: \(error.message)", cause: error)
            }
            if meshNames == nil { meshNames = Self.meshNames(client: client) }
            guard try Self.isMonitored(namespace, name: ns, meshNames: meshNames ?? []) else {
                throw OSMError(.notInMesh, "Namespace [\(ns)] does not belong to a mesh, missing annotation \(GoFormat.quoted(MeshConstants.monitoredByLabel))")
            }
            let patch: JSONValue = ["metadata": ["annotations": [Self.metricsAnnotation: enable ? "enabled" : .null]]]
            do throws(KubeError) {
                _ = try client.patch(.namespaces, name: ns, patch, type: .merge)
            } catch {
                throw OSMError("Failed to \(verb) metrics in namespace [\(ns)]: \(error.message)", cause: error)
            }
            do throws(KubeError) {
                try patchPods(client: client, namespace: ns)
            } catch {
                throw OSMError("Failed to \(verb) metrics for existing pod in namespace [\(ns)]: \(error.message)", cause: error)
            }
            report("Metrics successfully \(verb)d in namespace [\(ns)]")
        }
    }

    /// Pods already in the mesh (they carry the sidecar's unique id label), patched concurrently;
    /// the first failure in list order is reported.
    private func patchPods(client: any KubeAPI, namespace: String) throws(KubeError) {
        let pods = try client.list(.pods, namespace: namespace, labelSelector: MeshConstants.proxyUUIDLabel)
            .compactMap { $0.metadata.name }
        let annotations: JSONValue = enable
            ? [Self.scrapeAnnotation: "true", Self.portAnnotation: .string(Self.scrapePort), Self.pathAnnotation: .string(Self.scrapePath)]
            : [Self.scrapeAnnotation: .null, Self.portAnnotation: .null, Self.pathAnnotation: .null]
        let patch: JSONValue = ["metadata": ["annotations": annotations]]
        let requests = try pods.map { name throws(KubeError) in try client.patchRequest(.pods, namespace: namespace, name: name, patch, type: .merge) }
        for result in client.send(requests) { _ = try result.get() }
    }

    /// The meshes whose controllers run in the cluster, in list order; as upstream, a failed
    /// list counts as no mesh.
    static func meshNames(client: any KubeAPI) -> [String] {
        let controllers = (try? client.list(.deployments, labelSelector: "\(MeshConstants.appLabel)=\(MeshConstants.controllerName)")) ?? []
        var names: [String] = []
        for d in controllers {
            let name = d.metadata.label(MeshConstants.meshNameLabel) ?? ""
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// upstream `isMonitoredNamespace`.
    static func isMonitored(_ namespace: JSONValue, name: String, meshNames: [String]) throws(OSMError) -> Bool {
        guard let mesh = namespace.metadata.label(MeshConstants.monitoredByLabel) else { return false }
        let label = GoFormat.quoted(MeshConstants.monitoredByLabel)
        if mesh.isEmpty {
            throw OSMError(.badObject, "Label \(label) on namespace \(GoFormat.quoted(name)) cannot be empty")
        }
        guard meshNames.contains(mesh) else {
            throw OSMError(.notInMesh, "Invalid mesh name \(GoFormat.quoted(mesh)) used with label \(label) on namespace \(GoFormat.quoted(name)), must be one of \(GoFormat.list(meshNames))")
        }
        return true
    }
}
