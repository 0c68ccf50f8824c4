import KubeClient
import YAML

/// `osm mesh uninstall`: delete every object an install of the mesh creates (found by the
/// chart's instance label, so upstream installs are covered), keeping the namespace and CRDs.
public struct MeshUninstall: Sendable {
    public var meshName: String
    public var namespace: String
    public var force: Bool

    public init(meshName: String, namespace: String, force: Bool) {
        self.meshName = meshName
        self.namespace = namespace
        self.force = force
    }

    public enum Outcome: Sendable, Equatable {
        case uninstalled(deleted: Int)
        /// Only with --force: nothing to do, silently.
        case nothingToDo
        /// The confirmation said no: nothing was deleted.
        case declined
    }

    static let namespaced: [APIResource] = [
        .deployments, .services, .configMaps, .secrets, .serviceAccounts, .roles, .roleBindings,
    ]
    static let clusterScoped: [APIResource] = [
        .clusterRoles, .clusterRoleBindings,
        APIResource(group: "admissionregistration.k8s.io", version: "v1", resource: "mutatingwebhookconfigurations",
                    kind: "MutatingWebhookConfiguration", namespaced: false),
        APIResource(group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations",
                    kind: "ValidatingWebhookConfiguration", namespaced: false),
    ]

    /// Finds the mesh, then (unless `force`) asks `confirm` — only about a mesh that exists —
    /// and deletes its objects.
    public func run(client: KubeClient, confirm: () throws -> Bool = { true }) throws -> Outcome {
        guard KubernetesNames.isLabelValue(meshName) else {
            throw OSMError("Invalid mesh-name [\(meshName)]; it must be a valid label value")
        }
        guard try ControlPlaneLookup.controller(client: client, meshName: meshName, namespace: namespace) != nil else {
            if force { return .nothingToDo }
            throw ControlPlaneLookup.notFound(meshName: meshName, namespace: namespace)
        }
        if !force, try !confirm() { return .declined }
        let selector = "\(MeshConstants.instanceLabel)=\(meshName)"
        // Every list at once, then every delete at once (each one round trip over HTTP/2).
        var sources: [(APIResource, String?)] = Self.namespaced.map { ($0, namespace) }
        var lists = Self.namespaced.map { client.listRequest($0, namespace: namespace, labelSelector: selector) }
        // Helm's release records, when upstream's CLI installed this mesh.
        sources.append((.secrets, namespace))
        lists.append(client.listRequest(.secrets, namespace: namespace, labelSelector: "owner=helm,name=\(meshName)"))
        sources += Self.clusterScoped.map { ($0, nil) }
        lists += Self.clusterScoped.map { client.listRequest($0, labelSelector: selector) }
        var targets: [(APIResource, String?, String)] = []
        for ((r, ns), listed) in zip(sources, client.send(lists)) {
            for o in try listed.get().arrayValue ?? [] {
                if let n = o[path: "metadata", "name"]?.stringValue, !targets.contains(where: { $0.2 == n && $0.0 == r }) {
                    targets.append((r, ns, n))
                }
            }
        }
        let work = targets
        var deletes: [KubeRequest] = []
        for w in work { deletes.append(try client.deleteRequest(w.0, namespace: w.1, name: w.2)) }
        let results = client.send(deletes).map { r -> Swift.Result<Void, KubeError> in
            switch r {
            case .failure(let e) where e.kind != .notFound: return .failure(e)
            default: return .success(())
            }
        }
        let failures = results.enumerated().compactMap { i, r -> String? in
            if case .failure(let e) = r { return "\(work[i].0.kind) \(work[i].2): \(e.message)" }
            return nil
        }
        if !failures.isEmpty {
            throw OSMError("could not delete \(failures.count) of \(work.count) objects of mesh [\(meshName)]: \(failures.joined(separator: "; "))")
        }
        return .uninstalled(deleted: work.count)
    }
}
