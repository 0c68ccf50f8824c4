#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import YAML

/// `osm install`: check, create the control plane in dependency order, wait for it to be
/// available, and explain (and with `atomic`, undo) a failure.
public struct Install: Sendable {
    public var values: InstallValues
    public var namespace: String
    /// Zero waits without limit.
    public var timeout: GoDuration
    public var atomic: Bool
    /// Readiness is polled quickly at first (a warm cluster answers within milliseconds), then
    /// less often, up to this interval.
    public var maxPollInterval: Double = 0.5

    public init(values: InstallValues, namespace: String, timeout: GoDuration = GoDuration(seconds: 300), atomic: Bool = false) {
        self.values = values
        self.namespace = namespace
        self.timeout = timeout
        self.atomic = atomic
    }

    /// Readiness of one Deployment, for progress reports.
    public struct DeploymentStatus: Sendable, Equatable {
        public var name: String
        public var ready: Int
        public var desired: Int
        public var isAvailable: Bool { ready >= desired }
    }

    public struct Result: Sendable {
        public var created: Int
        public var message: String
    }

    public var successMessage: String {
        "OSM installed successfully in namespace [\(namespace)] with mesh name [\(values.meshName)]"
    }

    /// The objects an install creates, namespace first: what `--dry-run` prints.
    public func manifest() throws -> [JSONValue] {
        try values.validate()
        try Self.checkNamespaceName(namespace)
        let chart = try values.chartValues()
        return [ControlPlaneManifest.namespaceObject(namespace)] + (try ControlPlaneManifest.render(values: chart, namespace: namespace))
    }

    static func checkNamespaceName(_ ns: String) throws {
        if let problem = KubernetesNames.namespaceProblem(ns) { throw OSMError(problem) }
    }

    /// `notice` receives upstream's non-fatal notices once every check has passed.
    public func run(client: KubeClient, notice: ((String) -> Void)? = nil,
                    progress: (([DeploymentStatus]) -> Void)? = nil) throws -> Result {
        let started = ContinuousClock.now
        // Upstream's order: mesh name and Vault, the cluster's meshes, log level, durations and
        // values, single-mesh; then ours: API versions served, namespace not terminating.
        try values.validateBeforeClusterChecks()
        try Self.checkNamespaceName(namespace)
        let reads = try readCluster(client: client)
        let controllers = try checkExistingMeshes(reads.controllers)
        try values.validateAfterClusterChecks()
        try checkSingleMesh(controllers)
        let objects = try ControlPlaneManifest.render(values: try values.chartValues(), namespace: namespace)
        try checkServer(reads.version, reads.served, objects: objects)
        for line in values.warnings(namespace: namespace) { notice?(line) }

        var created: [(APIResource, String?, String)] = []
        var namespaceChange = NamespaceChange.none
        do {
            namespaceChange = try ensureNamespace(client: client, existing: reads.namespace)
            if case .created = namespaceChange {
                created.append((.namespaces, nil, namespace))
            }
            try createAll(objects, client: client, created: &created)
            try waitForDeployments(client: client, objects: objects, started: started, progress: progress)
        } catch {
            let message = (error as? OSMError)?.message ?? (error as? KubeError)?.message ?? "\(error)"
            if atomic {
                var undone = rollback(created, client: client)
                if case .labelled(let previous) = namespaceChange {
                    let label: JSONValue = previous.map { .string($0) } ?? .null
                    do {
                        _ = try client.patch(.namespaces, name: namespace, ["metadata": ["labels": ["name": label]]], type: .merge)
                    } catch {
                        undone += "; could not restore the namespace's name label: \(error)"
                    }
                }
                throw OSMError(message + "\n" + undone)
            }
            throw OSMError(message)
        }
        return Result(created: created.count, message: successMessage)
    }

    // MARK: checks

    /// What the checks and the namespace step read, each result kept for its check.
    struct ClusterReads {
        var controllers: Swift.Result<[JSONValue], KubeError>
        var version: Swift.Result<ServerVersion, KubeError>
        var served: Swift.Result<Set<String>, KubeError>
        var namespace: Swift.Result<JSONValue, KubeError>
    }

    /// Every read of the checks goes out at once (all reads, so nothing is done that a failed
    /// check would have prevented: one round trip over HTTP/2). Upstream's check 3 (no mesh of
    /// this name anywhere) is examined first; the other results are kept for their checks, which
    /// examine them in upstream's order, so the first failure reported is a sequential run's.
    func readCluster(client: KubeClient) throws -> ClusterReads {
        let mesh = values.meshName
        let reads = client.send([
            client.listRequest(.deployments, labelSelector: "\(MeshConstants.meshNameLabel)=\(mesh)"),
            client.listRequest(.deployments, labelSelector: "\(MeshConstants.appLabel)=\(MeshConstants.controllerName)"),
            client.getPathRequest("/version"),
            client.getPathRequest("/api"),
            client.getPathRequest("/apis"),
            try client.getRequest(.namespaces, name: namespace),
        ])
        if !(try reads[0].get().arrayValue ?? []).isEmpty {
            throw OSMError("Mesh \(mesh) already exists in cluster. Please specify a new mesh name using --mesh-name")
        }
        return ClusterReads(
            controllers: reads[1].map { $0.arrayValue ?? [] },
            version: reads[2].map(ServerVersion.init(json:)),
            served: reads[3].flatMap { core in reads[4].map { KubeClient.groupVersions(core: core, groups: $0) } },
            namespace: reads[5])
    }

    /// Upstream's check 4: no controller in the namespace. Returns every controller Deployment,
    /// for the single-mesh check.
    func checkExistingMeshes(_ controllers: Swift.Result<[JSONValue], KubeError>) throws -> [JSONValue] {
        let items = try controllers.get()
        if items.contains(where: { $0[path: "metadata", "namespace"]?.stringValue == namespace }) {
            throw OSMError("Namespace \(namespace) has an osm controller. Please specify a new namespace using --osm-namespace")
        }
        return items
    }

    /// The v0.8 objects use API versions that Kubernetes 1.22 removed: say so before creating anything.
    func checkServer(_ versionResult: Swift.Result<ServerVersion, KubeError>, _ servedResult: Swift.Result<Set<String>, KubeError>,
                     objects: [JSONValue]) throws {
        let version: ServerVersion
        let served: Set<String>
        do throws(KubeError) {
            version = try versionResult.get()
            served = try servedResult.get()
        } catch let e {
            throw OSMError("cannot reach the Kubernetes API server: \(e.message)")
        }
        var needed: [String] = []
        for o in objects {
            if let gv = o["apiVersion"]?.stringValue, !needed.contains(gv) { needed.append(gv) }
        }
        let missing = needed.filter { !served.contains($0) }
        if !missing.isEmpty {
            throw OSMError("the OSM v0.8 control plane needs \(missing.joined(separator: " and ")), which the API server (\(version.gitVersion)) does not serve (these beta APIs were removed in Kubernetes 1.22); install on a cluster at v1.21 or earlier, nothing was created")
        }
    }

    /// Upstream's check 7: nobody enforces a single mesh, and with --enforce-single-mesh, no mesh exists.
    func checkSingleMesh(_ controllers: [JSONValue]) throws {
        for c in controllers where c[path: "metadata", "labels", MeshConstants.enforceSingleMeshLabel]?.stringValue == "true" {
            let name = c[path: "metadata", "labels", MeshConstants.meshNameLabel]?.stringValue ?? ""
            throw OSMError("Cannot install mesh [\(values.meshName)]. Existing mesh [\(name)] enforces single mesh cluster.")
        }
        if values.enforceSingleMesh, !controllers.isEmpty {
            throw OSMError("Meshes already exist in cluster. Cannot enforce single mesh cluster.")
        }
    }

    /// Creates the namespace with label `name`, or gives an existing one that label; true if created.
    /// What the install did to the namespace, so `--atomic` can undo exactly that.
    enum NamespaceChange {
        case none
        case created
        /// The `name` label was added or changed; its previous value, if any.
        case labelled(previous: String?)
    }

    /// `existing` is the namespace as read with the checks (or why it could not be read).
    func ensureNamespace(client: KubeClient, existing: Swift.Result<JSONValue, KubeError>) throws -> NamespaceChange {
        switch existing {
        case .success(let ns):
            if ns[path: "status", "phase"]?.stringValue == "Terminating" {
                throw OSMError("namespace [\(namespace)] is being deleted; wait until it is gone or choose another with --osm-namespace")
            }
            let previous = ns[path: "metadata", "labels", "name"]?.stringValue
            guard previous != namespace else { return .none }
            _ = try client.patch(.namespaces, name: namespace, ["metadata": ["labels": ["name": .string(namespace)]]], type: .merge)
            return .labelled(previous: previous)
        case .failure(let e) where e.kind == .notFound:
            _ = try client.create(.namespaces, ControlPlaneManifest.namespaceObject(namespace))
            return .created
        case .failure(let e):
            throw e
        }
    }

    // MARK: creation

    /// Objects are created in three rounds, each all at once: first everything the Deployments'
    /// pods use (CRDs, RBAC, ServiceAccount, ConfigMap, Services; none of these refers to
    /// another in a way the API server checks), then the Deployments, then the webhook
    /// configurations, which must not point at a service before its backend exists.
    static func stage(of kind: String) -> Int {
        switch kind {
        case "Deployment": return 1
        case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration": return 2
        default: return 0
        }
    }

    func createAll(_ objects: [JSONValue], client: KubeClient, created: inout [(APIResource, String?, String)]) throws {
        var stages: [Int: [JSONValue]] = [:]
        for o in objects { stages[Self.stage(of: o["kind"]?.stringValue ?? ""), default: []].append(o) }
        for s in stages.keys.sorted() {
            let batch = stages[s]!
            var targets: [(APIResource, String?, JSONValue)] = []
            for o in batch {
                let kind = o["kind"]?.stringValue ?? ""
                guard let r = APIResource.forObject(apiVersion: o["apiVersion"]?.stringValue ?? "", kind: kind) else {
                    throw OSMError("internal: no API resource known for \(kind)")
                }
                targets.append((r, r.namespaced ? namespace : nil, o))
            }
            let work = targets
            var requests: [KubeRequest] = []
            for w in work { requests.append(try client.createRequest(w.0, namespace: w.1, w.2)) }
            let results = client.send(requests).enumerated().map { (i, r) -> Swift.Result<Bool, KubeError> in
                switch r {
                case .success: return .success(true)
                // CRDs are shared by every mesh, as with Helm's crds/ folder
                case .failure(let e) where e.kind == .alreadyExists && work[i].0.kind == "CustomResourceDefinition": return .success(false)
                case .failure(let e): return .failure(e)
                }
            }
            var failures: [String] = []
            for (i, r) in results.enumerated() {
                let name = work[i].2[path: "metadata", "name"]?.stringValue ?? ""
                switch r {
                case .success(true): created.append((work[i].0, work[i].1, name))
                case .success(false): break
                case .failure(let e):
                    var line = "could not create \(work[i].0.kind) \"\(name)\": \(e.message)"
                    if e.kind == .alreadyExists {
                        line += " (left by an earlier install? remove it, e.g. with 'osm mesh uninstall --mesh-name \(values.meshName) -f')"
                    }
                    failures.append(line)
                }
            }
            if !failures.isEmpty { throw OSMError(failures.joined(separator: "; ")) }
        }
    }

    // MARK: waiting

    func waitForDeployments(client: KubeClient, objects: [JSONValue], started: ContinuousClock.Instant,
                            progress: (([DeploymentStatus]) -> Void)?) throws {
        let names = objects.filter { $0["kind"]?.stringValue == "Deployment" }.compactMap { $0[path: "metadata", "name"]?.stringValue }
        let limit: Duration? = timeout.isZero ? nil : .nanoseconds(timeout.nanoseconds)
        var last: [DeploymentStatus] = []
        var interval = 0.002
        while true {
            let items = try listControlPlaneDeployments(client: client)
            let statuses = names.map { name -> DeploymentStatus in
                let d = items.first { $0[path: "metadata", "name"]?.stringValue == name }
                let desired = d?[path: "spec", "replicas"]?.intValue ?? 1
                let ready = d.map(Self.availableReplicas) ?? 0
                return DeploymentStatus(name: name, ready: ready, desired: desired)
            }
            if statuses != last {
                progress?(statuses)
                last = statuses
            }
            if statuses.allSatisfy(\.isAvailable) { return }
            if let limit, ContinuousClock.now - started >= limit {
                throw OSMError(diagnose(client: client, statuses: statuses.filter { !$0.isAvailable }, items: items))
            }
            var ts = timespec(tv_sec: Int(interval), tv_nsec: Int((interval - interval.rounded(.down)) * 1e9))
            nanosleep(&ts, nil)
            interval = min(interval * 2, maxPollInterval)
        }
    }

    func listControlPlaneDeployments(client: KubeClient) throws -> [JSONValue] {
        let selector = "\(MeshConstants.instanceLabel)=\(values.meshName)"
        let result = Swift.Result { () throws(KubeError) -> [JSONValue] in
            try client.list(.deployments, namespace: namespace, labelSelector: selector)
        }
        switch result {
        case .success(let items):
            return items
        case .failure(let error):
            guard error.kind == .timeout else { throw error }
            throw OSMError("the API server did not answer while waiting for the control plane (--timeout \(timeout)): \(error.message)")
        }
    }

    static func availableReplicas(_ d: JSONValue) -> Int {
        let generation = d[path: "metadata", "generation"]?.intValue ?? 0
        let observed = d[path: "status", "observedGeneration"]?.intValue ?? 0
        if observed < generation { return 0 }
        return d[path: "status", "availableReplicas"]?.intValue ?? 0
    }

    /// What is wrong with each unready Deployment: its pods, their waiting reasons and images,
    /// recent Warning events, and where to look further.
    func diagnose(client: KubeClient, statuses: [DeploymentStatus], items: [JSONValue]) -> String {
        let names = statuses.map(\.name).joined(separator: ", ")
        var lines = ["the control plane did not become available within \(timeout) (\(names) not ready):"]
        let events = (try? client.list(.events, namespace: namespace)) ?? []
        for s in statuses {
            lines.append("  deployment \(s.name): \(s.ready)/\(s.desired) available")
            let d = items.first { $0[path: "metadata", "name"]?.stringValue == s.name }
            let selector = (d?[path: "spec", "selector", "matchLabels"]?.stringMap ?? ["app": s.name])
                .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let pods = (try? client.list(.pods, namespace: namespace, labelSelector: selector)) ?? []
            if pods.isEmpty { lines.append("    no pods were created for it") }
            var related: Set<String> = [s.name]
            for p in pods {
                let podName = p[path: "metadata", "name"]?.stringValue ?? "?"
                related.insert(podName)
                var line = "    pod \(podName): \(p[path: "status", "phase"]?.stringValue ?? "Unknown")"
                let images = Dictionary(
                    (p[path: "spec", "containers"]?.arrayValue ?? []).compactMap { c -> (String, String)? in
                        guard let n = c["name"]?.stringValue, let i = c["image"]?.stringValue else { return nil }
                        return (n, i)
                    }, uniquingKeysWith: { a, _ in a })
                for cs in p[path: "status", "containerStatuses"]?.arrayValue ?? [] {
                    let cname = cs["name"]?.stringValue ?? ""
                    if let reason = cs[path: "state", "waiting", "reason"]?.stringValue {
                        let image = cs["image"]?.stringValue ?? images[cname] ?? ""
                        line += "; container \(cname) waiting: \(reason) \(image)"
                    } else if let reason = cs[path: "state", "terminated", "reason"]?.stringValue {
                        line += "; container \(cname) terminated: \(reason)"
                    }
                }
                lines.append(line)
            }
            let warnings = events.filter {
                $0["type"]?.stringValue == "Warning"
                    && related.contains($0[path: "involvedObject", "name"]?.stringValue ?? "")
            }
            for e in warnings.suffix(3) {
                let reason = e["reason"]?.stringValue ?? ""
                let msg = e["message"]?.stringValue ?? ""
                lines.append("    event: Warning \(reason): \(msg)")
            }
            lines.append("    look further: kubectl describe pods -n \(namespace) -l \(selector)")
        }
        if !atomic {
            lines.append("  the objects created so far were left in place; remove them with 'osm mesh uninstall --mesh-name \(values.meshName) -f' or retry with --atomic")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: rollback

    /// Deletes what this run created, newest first; never anything that existed before.
    func rollback(_ created: [(APIResource, String?, String)], client: KubeClient) -> String {
        var failed: [String] = []
        for (r, ns, name) in created.reversed() {
            do throws(KubeError) {
                try client.delete(r, namespace: ns, name: name)
            } catch where error.kind == .notFound {
                continue
            } catch {
                failed.append("\(r.kind) \(name): \(error)")
            }
        }
        if failed.isEmpty {
            return "--atomic: deleted the \(created.count) objects this install created"
        }
        return "--atomic: could not delete \(failed.count) of the \(created.count) objects this install created: \(failed.joined(separator: "; "))"
    }
}
