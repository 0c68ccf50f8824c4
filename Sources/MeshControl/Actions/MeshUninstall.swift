import KubeClient
import ObjectModel

/// `osm mesh uninstall`: delete every object an install of the mesh creates (found by the
/// chart's instance label, so upstream installs are covered), keeping the namespace and CRDs.
package struct MeshUninstall: Sendable {
    package var meshName: String
    package var namespace: String
    package var force: Bool

    package init(meshName: String, namespace: String, force: Bool) {
        self.meshName = meshName
        self.namespace = namespace
        self.force = force
    }

    package enum Outcome: Sendable, Equatable {
        /// What was deleted, as `Kind namespace/name`.
        case uninstalled(deleted: [String])
        /// Only with --force: nothing to do.
        case nothingToDo
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

    /// Finds every object of the mesh by its instance label, whether or not its controller
    /// still runs (an install or uninstall that stopped part way leaves some), and deletes them.
    /// The confirmation is the caller's, before this runs, as upstream asks before it looks.
    /// `warn` hears of objects the last revision's manifest lists that are not deleted (their
    /// kind is not served), one line each, before the deletes.
    package func run(client: any KubeAPI, warn: (String) -> Void = { _ in }) throws -> Outcome {
        try MeshName.check(meshName)
        let (targets, warnings) = try find(client: client)
        warnings.forEach(warn)
        if targets.isEmpty {
            if force { return .nothingToDo }
            throw ControlPlaneLookup.notFound(meshName: meshName, namespace: namespace)
        }
        let work = targets
        // Every delete at once (one round trip over HTTP/2).
        var deletes: [KubeRequest] = []
        for w in work { deletes.append(try client.deleteRequest(w.0, namespace: w.1, name: w.2)) }
        let results = client.send(deletes).map { r -> Swift.Result<Bool, KubeError> in
            switch r {
            case .success: return .success(true)
            case .failure(let e) where e.kind == .notFound: return .success(false)
            case .failure(let e): return .failure(e)
            }
        }
        var deleted: [String] = []
        var failures: [String] = []
        var firstFailure: KubeError? = nil
        for (i, r) in results.enumerated() {
            let what = "\(work[i].0.kind) \(work[i].1.map { "\($0)/" } ?? "")\(work[i].2)"
            switch r {
            case .success(true): deleted.append(what)
            case .success(false): break
            case .failure(let e):
                failures.append("\(what): \(e.message)")
                if firstFailure == nil { firstFailure = e }
            }
        }
        if let firstFailure {
            let done = deleted.isEmpty ? "" : "deleted \(deleted.joined(separator: ", ")); "
            throw OSMError("could not delete \(failures.count) of \(work.count) objects of mesh [\(meshName)]: \(failures.joined(separator: "; ")); \(done)run 'osm mesh uninstall --mesh-name \(meshName) --osm-namespace \(namespace) -f' again to finish", cause: firstFailure)
        }
        return .uninstalled(deleted: deleted)
    }

    /// Every object of the mesh: in its namespace and cluster-wide, by the chart's instance label
    /// (CRDs and the namespace are kept), and Helm's release records when upstream's CLI installed it.
    func find(client: any KubeAPI) throws -> (targets: [(APIResource, String?, String)], warnings: [String]) {
        let selector = "\(MeshConstants.instanceLabel)=\(meshName)"
        let queries: [(APIResource, String?, String)] =
            Self.namespaced.map { ($0, namespace, selector) }
            + [(.secrets, namespace, HelmReleaseStore.selector(release: meshName))]
            + Self.clusterScoped.map { ($0, nil, selector) }
        // Every list at once (one round trip over HTTP/2).
        let results = client.send(queries.map { client.listRequest($0.0, namespace: $0.1, labelSelector: $0.2) })
        var targets: [(APIResource, String?, String)] = []
        func add(_ resource: APIResource, _ ns: String?, _ n: String) {
            // One object by any of its API versions (the webhook configurations: v1 here, v1beta1 in the chart).
            if !targets.contains(where: { $0.0.group == resource.group && $0.0.kind == resource.kind && $0.1 == ns && $0.2 == n }) {
                targets.append((resource, ns, n))
            }
        }
        var records: [JSONValue] = []
        for (i, r) in results.enumerated() {
            let items = try r.get().arrayValue ?? []
            if i == Self.namespaced.count { records = items }
            for o in items {
                guard let n = o.metadata.name else { continue }
                add(queries[i].0, queries[i].1, n)
            }
        }
        // As `helm uninstall`: every object the last revision's manifest lists, labelled or not
        // (a Helm-written revision may list objects this chart does not render, of any kind:
        // those osm's table does not know are looked up in the server's discovery).
        var warnings: [String] = []
        if let last = HelmReleaseStore.history(secrets: records).latest {
            let manifest = HelmManifest.entries(in: last.release.manifest, namespace: namespace)
            let known = manifest.entries.filter { e in
                e.resource.kind != "CustomResourceDefinition" && e.resource.kind != "Namespace"
                    && !targets.contains { $0.0.group == e.resource.group && $0.0.kind == e.resource.kind && $0.1 == e.namespace && $0.2 == e.name }
            }
            let (documents, problem) = ManifestObjects.unresolved(in: last.release.manifest, unknown: manifest.unknown)
            let resolved = ManifestObjects.resolve(known: known, unresolved: documents, namespace: namespace, release: meshName, client: client)
            for e in resolved.entries { add(e.resource, e.namespace, e.name) }
            warnings = resolved.warnings
            if let problem { warnings.append("Warning: Helm release \(meshName): revision \(last.release.version)'s \(problem); the objects it lists were not deleted") }
        }
        return (targets, warnings)
    }
}
