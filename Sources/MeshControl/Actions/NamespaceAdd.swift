import KubeClient
import ObjectModel

/// `osm namespace add`: label each namespace as monitored by the mesh and set (or clear) the
/// sidecar-injection annotation, one merge patch per namespace, all of them concurrently.
package struct NamespaceAdd: Sendable {
    package var namespaces: [String]
    package var meshName: String
    package var disableSidecarInjection: Bool

    package init(namespaces: [String], meshName: String = MeshConstants.defaultMeshName, disableSidecarInjection: Bool = false) {
        self.namespaces = namespaces
        self.meshName = meshName
        self.disableSidecarInjection = disableSidecarInjection
    }

    package enum Outcome: Sendable, Equatable {
        case added
        /// The namespace holds a control plane; upstream reports this and goes on.
        case holdsController
        case failed(String)
    }

    /// What happened to each namespace.
    package struct Report: Sendable {
        /// One per namespace, in the order given.
        package var outcomes: [(namespace: String, outcome: Outcome)]
        /// Set when no controller of this mesh exists anywhere (the namespaces are still enrolled).
        package var warning: String?
        package var anyFailed: Bool { outcomes.contains { if case .failed = $0.outcome { return true } else { return false } } }
    }

    /// Checked before any request.
    package func validate() throws(OSMError) {
        try MeshName.check(meshName, allowEmpty: true)
        for ns in namespaces {
            if let problem = KubernetesNames.namespaceProblem(ns) {
                throw OSMError(.invalidInput, "Could not add namespace [\(ns)] to mesh [\(meshName)]: \(problem)")
            }
        }
    }

    package func run(client: any KubeAPI) throws -> Report {
        try validate()
        let (controllerNamespaces, meshExists) = try controllers(client: client)

        let annotation: JSONValue = disableSidecarInjection ? .null : "enabled"
        let patch: JSONValue = [
            "metadata": [
                "labels": [MeshConstants.monitoredByLabel: .string(meshName)],
                "annotations": [MeshConstants.sidecarInjectionAnnotation: annotation],
            ]
        ]
        // Every patch goes out at once on the client's connection (HTTP/2 streams).
        var outcomes: [(String, Outcome)] = namespaces.map { ($0, controllerNamespaces.contains($0) ? .holdsController : .added) }
        let toPatch = outcomes.indices.filter { outcomes[$0].1 == .added }
        var requests: [KubeRequest] = []
        for i in toPatch { requests.append(try client.patchRequest(.namespaces, name: outcomes[i].0, patch, type: .merge)) }
        for (i, r) in zip(toPatch, client.send(requests)) {
            if case .failure(let e) = r {
                outcomes[i].1 = .failed("Could not add namespace [\(outcomes[i].0)] to mesh [\(meshName)]: \(e.message)")
            }
        }
        let warning = meshExists != false ? nil
            : "no OSM control plane with mesh name [\(meshName)] was found in the cluster; the namespaces are enrolled and will be picked up once that mesh is installed"
        return Report(outcomes: outcomes, warning: warning)
    }

    /// The namespaces (of those given) that hold a controller, and whether this mesh exists
    /// (nil: unknown). One cluster-wide list answers both, instead of a list per namespace; a
    /// user who may not list Deployments cluster-wide gets upstream's list per namespace, whose
    /// errors upstream ignores (a namespace it cannot read counts as holding no controller).
    private func controllers(client: any KubeAPI) throws -> (Set<String>, Bool?) {
        let selector = "\(MeshConstants.appLabel)=\(MeshConstants.controllerName)"
        let all: [JSONValue]
        do throws(KubeError) {
            all = try client.list(.deployments, labelSelector: selector)
        } catch {
            guard error.kind == .forbidden else { throw error }
            return (controllersPerNamespace(client: client, selector: selector), nil)
        }
        let meshExists = all.contains { $0.metadata.label(MeshConstants.meshNameLabel) == meshName }
        return (Set(all.compactMap { $0.metadata.namespace }), meshExists)
    }

    private func controllersPerNamespace(client: any KubeAPI, selector: String) -> Set<String> {
        let names = namespaces
        let perNamespace = client.send(names.map { client.listRequest(.deployments, namespace: $0, labelSelector: selector) })
        var holding: Set<String> = []
        for (i, result) in perNamespace.enumerated() where !((try? result.get())?.arrayValue ?? []).isEmpty { holding.insert(names[i]) }
        return holding
    }

    package static func message(_ namespace: String, _ outcome: Outcome, meshName: String) -> String {
        switch outcome {
        case .added: return "Namespace [\(namespace)] successfully added to mesh [\(meshName)]"
        case .holdsController:
            return "Namespace [\(namespace)] already has [\(MeshConstants.controllerName)] installed and cannot be added to mesh [\(meshName)]"
        case .failed(let m): return m
        }
    }
}
