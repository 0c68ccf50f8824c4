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
    /// Finish a partial install of this mesh: create only the objects that are missing.
    public var resume: Bool = false
    /// SIGINT/SIGTERM: stop, and with `atomic` roll back (a second signal stops the rollback).
    public var interruption: Interruption? = nil

    /// How long install waits for the control plane by default (`--timeout`, upstream's 5m).
    public static let defaultTimeout = GoDuration(seconds: 300)

    public init(values: InstallValues, namespace: String, timeout: GoDuration = Install.defaultTimeout, atomic: Bool = false) {
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

    /// An object by resource, namespace and name, for what an install sent and what it left.
    public struct ObjectRef: Sendable, Equatable, CustomStringConvertible {
        public var resource: APIResource
        public var namespace: String?
        public var name: String
        public var description: String {
            resource.kind + " " + (namespace.map { "\($0)/" } ?? "") + name
        }
    }

    /// The install failed or was interrupted; `message` says what is left and how to finish or remove it.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        /// The signal that interrupted the install, if one did.
        public var signal: Int32?
        /// What failed (its kind and the cluster's error, if any), as the step that failed said it.
        public var cause: OSMError
        public var description: String { message }
        /// The failure as an `OSMError`: the cause's kind, with the whole message.
        public var error: OSMError { cause.withMessage(message) }
    }

    /// The command that removes what a failed install left.
    public var uninstallCommand: String {
        "osm mesh uninstall --mesh-name \(values.meshName) --osm-namespace \(namespace) -f"
    }

    public var successMessage: String {
        "OSM installed successfully in namespace [\(namespace)] with mesh name [\(values.meshName)]"
    }

    /// The objects an install creates, namespace first: what `--dry-run` prints.
    public func manifest() throws -> [JSONValue] {
        try Self.checkMeshName(values.meshName)
        let resolved = try values.validate()
        try Self.checkNamespaceName(namespace)
        try HelmInstallRecord.checkReleaseName(values.meshName, namespace: namespace)
        return [ControlPlaneManifest.namespaceObject(namespace)] + (try ControlPlaneManifest.render(values: resolved.chart, namespace: namespace))
    }

    /// An empty mesh name is a valid label value, but no mesh can be found or removed by it.
    static func checkMeshName(_ name: String) throws {
        if name.isEmpty { try MeshName.check(name) }
    }

    static func checkNamespaceName(_ ns: String) throws {
        if let problem = KubernetesNames.namespaceProblem(ns) { throw OSMError(.invalidInput, problem) }
    }

    /// `notice` receives upstream's non-fatal notices once every check has passed.
    public func run(client: any KubeAPI, notice: ((String) -> Void)? = nil,
                    progress: (([DeploymentStatus]) -> Void)? = nil) throws -> Result {
        let started = ContinuousClock.now
        // Upstream's order: mesh name and Vault, the cluster's meshes, log level, durations and
        // values, single-mesh; then ours: API versions served, namespace not terminating.
        try Self.checkMeshName(values.meshName)
        try values.validateBeforeClusterChecks()
        try Self.checkNamespaceName(namespace)
        if !values.vaultToken.isEmpty { client.addSecret(values.vaultToken) }
        let reads: ClusterReads
        let objects: [JSONValue]
        let existing: [String: JSONValue]
        var helm: HelmInstallRecord
        let recordWrite: HelmInstallRecord.Write
        do {
            // Rendered first so that the reads of every object's name go with the checks' reads;
            // a rendering error is still reported in upstream's order, after the cluster checks.
            let resolved = Swift.Result { () throws(OSMError) in try values.resolve() }
            let rendered = Swift.Result { try ControlPlaneManifest.render(values: try resolved.get().chart, namespace: namespace) }
            reads = try readCluster(client: client, objects: (try? rendered.get()) ?? [])
            let controllers = try checkExistingMeshes(reads.controllers)
            let userValues = try values.validateAfterClusterChecks(resolved).user
            try checkSingleMesh(controllers)
            try HelmInstallRecord.checkReleaseName(values.meshName, namespace: namespace)
            objects = try rendered.get()
            try checkServer(reads.version, reads.served, objects: objects)
            existing = try checkPartialInstall(objects: objects, existing: try reads.existing(namespaceExists: (try? reads.namespace.get()) != nil))
            helm = HelmInstallRecord(values: values, userValues: userValues, namespace: namespace, objects: objects)
            recordWrite = try helm.plan(client: client, secrets: try reads.releaseSecrets.get(), resuming: resume)
            try checkInterrupted()
        } catch let e as KubeError where e.kind == .interrupted {
            throw Failure(message: "interrupted before anything was created", signal: interruption?.firstSignal, cause: OSMError(e))
        } catch let e as KubeError {
            throw OSMError(e)
        }
        for line in values.warnings(namespace: namespace) { notice?(line) }

        var journal = Journal()
        var namespaceChange = NamespaceChange.none
        do {
            namespaceChange = try ensureNamespace(client: client, existing: reads.namespace, journal: &journal)
            try createAll(helm.owned(objects), existing: existing, client: client, journal: &journal,
                          record: (recordWrite, { try helm.written(recordWrite, client: client, $0) }))
            try waitForDeployments(client: client, objects: objects, started: started, progress: progress)
        } catch {
            let interrupted = (error as? KubeError)?.kind == .interrupted || (interruption?.count ?? 0) > 0
            var message = interrupted
                ? "interrupted by \(Self.signalName(interruption?.firstSignal))"
                : ((error as? OSMError)?.message ?? (error as? KubeError)?.message ?? "\(error)")
            // A rollback deletes a record this run created; one it took over is marked failed.
            if !atomic || !recordWrite.creates { helm.fail(client: client, message: message) }
            if atomic {
                message += "\n" + rollback(journal, namespaceChange: namespaceChange, client: client, stopAtSignal: interrupted ? 2 : 1)
            } else if !journal.sent.isEmpty && !message.contains("were left in place") {
                message += "\n" + leftInPlace(journal)
            } else if journal.sent.isEmpty && interrupted {
                message += "; nothing was created"
            }
            throw Failure(message: message, signal: interrupted ? interruption?.firstSignal : nil, cause: OSMError.from(error))
        }
        try helm.finish(client: client)
        return Result(created: journal.created.count, message: successMessage)
    }

    static func signalName(_ sig: Int32?) -> String {
        switch sig {
        case SIGINT?: return "SIGINT"
        case SIGTERM?: return "SIGTERM"
        case let s?: return "signal \(s)"
        default: return "a signal"
        }
    }

    func checkInterrupted() throws {
        if let i = interruption, i.count > 0 { throw KubeError(.interrupted, "interrupted") }
    }

    /// What this run sent: objects it created, and objects whose create was sent but whose
    /// answer was lost (reset, timeout, server error), which may exist all the same.
    struct Journal {
        var created: [ObjectRef] = []
        var maybe: [ObjectRef] = []
        /// Everything this run may have created, in the order it was sent.
        var sent: [ObjectRef] { created + maybe }
    }

    /// A create that failed in a way that says nothing was created: the server answered and refused.
    static func createdNothing(_ e: KubeError) -> Bool {
        if e.kind == .interrupted { return e.code == 0 }
        guard let code = e.code else { return false }
        return (400..<500).contains(code) && code != 408
    }

    func leftInPlace(_ journal: Journal) -> String {
        let list = journal.sent.map(\.description).joined(separator: ", ")
        var line = "  this install created (or may have created) \(journal.sent.count) objects, left in place: \(list); "
        line += "finish the install with 'osm install --resume' and the same flags, or remove them with '\(uninstallCommand)'"
        if journal.sent.contains(where: { $0.resource == .namespaces }) {
            line += " (it keeps the namespace: then 'kubectl delete namespace \(namespace)')"
        }
        return line
    }

    // MARK: checks

    /// What the checks and the namespace step read, each result kept for its check.
    struct ClusterReads {
        var controllers: Swift.Result<[JSONValue], KubeError>
        var version: Swift.Result<ServerVersion, KubeError>
        var served: Swift.Result<Set<String>, KubeError>
        var namespace: Swift.Result<JSONValue, KubeError>
        /// The mesh's Helm release records in the namespace.
        var releaseSecrets: Swift.Result<[JSONValue], KubeError>
        /// Each object the install would create, and the answer to a GET of it.
        var objects: [(ObjectRef, Swift.Result<JSONValue, KubeError>)]

        /// The objects that exist, keyed by `Install.key`; the namespaced ones only when the
        /// namespace exists.
        func existing(namespaceExists: Bool) throws -> [String: JSONValue] {
            try Self.existing(objects, namespaceExists: namespaceExists)
        }

        static func existing(_ objects: [(ObjectRef, Swift.Result<JSONValue, KubeError>)], namespaceExists: Bool) throws -> [String: JSONValue] {
            var out: [String: JSONValue] = [:]
            for (ref, answer) in objects where namespaceExists || ref.namespace == nil {
                switch answer {
                case .success(let v): out[Install.key(ref.resource, ref.namespace, ref.name)] = v
                case .failure(let e) where e.kind == .notFound: break
                case .failure(let e):
                    if e.kind == .interrupted { throw e }
                    throw OSMError("cannot check whether \(ref) already exists: \(e.message)", cause: e)
                }
            }
            return out
        }
    }

    /// Every read of the checks goes out at once (all reads, so nothing is done that a failed
    /// check would have prevented: one round trip over HTTP/2). Upstream's check 3 (no mesh of
    /// this name anywhere) is examined first; the other results are kept for their checks, which
    /// examine them in upstream's order, so the first failure reported is a sequential run's.
    /// With them, a GET of each of `objects` (what the install would create), for the partial-install check.
    func readCluster(client: any KubeAPI, objects: [JSONValue]) throws -> ClusterReads {
        let mesh = values.meshName
        let refs = try objects.map(ref)
        var reads = client.send([
            client.listRequest(.deployments, labelSelector: "\(MeshConstants.meshNameLabel)=\(mesh)"),
            client.listRequest(.deployments, labelSelector: "\(MeshConstants.appLabel)=\(MeshConstants.controllerName)"),
            client.getPathRequest("/version"),
            client.getPathRequest("/api"),
            client.getPathRequest("/apis"),
            try client.getRequest(.namespaces, name: namespace),
            client.listRequest(.secrets, namespace: namespace, labelSelector: HelmReleaseStore.selector(release: mesh)),
        ] + (try refs.map { r throws(KubeError) in try client.getRequest(r.resource, namespace: r.namespace, name: r.name) }))
        let existence = Array(zip(refs, reads.suffix(refs.count)))
        reads.removeLast(refs.count)
        let sameMesh = try reads[0].get().arrayValue ?? []
        let elsewhere = sameMesh.contains { $0.metadata.namespace != self.namespace }
        if !sameMesh.isEmpty && (elsewhere || !resume) {
            if !elsewhere, !objects.isEmpty,
               let existing = try? ClusterReads.existing(existence, namespaceExists: true),
               let partial = try? partialInstallReport(objects: objects, existing: existing) { throw partial }
            throw OSMError(.meshExists, "Mesh \(mesh) already exists in cluster. Please specify a new mesh name using --mesh-name")
        }
        return ClusterReads(
            controllers: reads[1].map { $0.arrayValue ?? [] },
            version: reads[2].map(ServerVersion.init(json:)),
            served: reads[3].flatMap { core in reads[4].map { KubeClient.groupVersions(core: core, groups: $0) } },
            namespace: reads[5],
            releaseSecrets: reads[6].map { $0.arrayValue ?? [] },
            objects: existence)
    }

    /// Upstream's check 4: no controller in the namespace. Returns every controller Deployment,
    /// for the single-mesh check.
    func checkExistingMeshes(_ controllers: Swift.Result<[JSONValue], KubeError>) throws -> [JSONValue] {
        var items = try controllers.get()
        if resume {
            // Finishing this mesh: its own controller is expected.
            items.removeAll {
                $0.metadata.namespace == namespace
                    && $0.metadata.label(MeshConstants.meshNameLabel) == values.meshName
            }
        }
        if items.contains(where: { $0.metadata.namespace == namespace }) {
            throw OSMError(.meshExists, "Namespace \(namespace) has an osm controller. Please specify a new namespace using --osm-namespace")
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
            throw OSMError("cannot reach the Kubernetes API server: \(e.message)", cause: e)
        }
        var needed: [String] = []
        for o in objects {
            if let gv = o.apiVersion, !needed.contains(gv) { needed.append(gv) }
        }
        let missing = needed.filter { !served.contains($0) }
        if !missing.isEmpty {
            throw OSMError(.unsupportedServer, "the OSM v0.8 control plane needs \(missing.joined(separator: " and ")), which the API server (\(version.gitVersion)) does not serve (these beta APIs were removed in Kubernetes 1.22); install on a cluster at v1.21 or earlier, nothing was created")
        }
    }

    /// Upstream's check 7: nobody enforces a single mesh, and with --enforce-single-mesh, no mesh exists.
    func checkSingleMesh(_ controllers: [JSONValue]) throws {
        for c in controllers where c.metadata.label(MeshConstants.enforceSingleMeshLabel) == "true" {
            let name = c.metadata.label(MeshConstants.meshNameLabel) ?? ""
            throw OSMError(.singleMeshEnforced, "Cannot install mesh [\(values.meshName)]. Existing mesh [\(name)] enforces single mesh cluster.")
        }
        if values.enforceSingleMesh, !controllers.isEmpty {
            throw OSMError(.singleMeshEnforced, "Meshes already exist in cluster. Cannot enforce single mesh cluster.")
        }
    }

    /// What the install did to the namespace, so `--atomic` can undo exactly that.
    enum NamespaceChange {
        case none
        case created
        /// The `name` label was added or changed; its previous value, if any.
        case labelled(previous: String?)
    }

    // MARK: partial installs

    static func key(_ r: APIResource, _ ns: String?, _ name: String) -> String { "\(r.kind)/\(ns ?? "")/\(name)" }

    func ref(_ o: JSONValue) throws -> ObjectRef {
        let kind = o.kind ?? ""
        guard let r = APIResource.forObject(apiVersion: o.apiVersion ?? "", kind: kind) else {
            throw OSMError("internal: no API resource known for \(kind)")
        }
        return ObjectRef(resource: r, namespace: r.namespaced ? namespace : nil, name: o.metadata.name ?? "")
    }

    /// Before creating anything: objects of this mesh left by an earlier install (or uninstall)
    /// are reported with what is missing and how to finish, unless `resume` asks to finish;
    /// objects of the same name that belong to something else are never touched.
    func checkPartialInstall(objects: [JSONValue], existing: [String: JSONValue]) throws -> [String: JSONValue] {
        if existing.isEmpty { return existing }
        var ours: [ObjectRef] = [], foreign: [ObjectRef] = [], missing: [ObjectRef] = []
        for o in objects {
            let r = try ref(o)
            guard let found = existing[Self.key(r.resource, r.namespace, r.name)] else {
                missing.append(r)
                continue
            }
            if r.resource.kind == "CustomResourceDefinition" { continue } // shared by every mesh
            if found.metadata.label(MeshConstants.instanceLabel) == values.meshName { ours.append(r) } else { foreign.append(r) }
        }
        if !foreign.isEmpty {
            throw OSMError(.foreignObjects, "cannot install mesh [\(values.meshName)]: \(foreign.map(\.description).joined(separator: ", ")) already exist\(foreign.count == 1 ? "s" : "") and belong\(foreign.count == 1 ? "s" : "") to something else (no label \(MeshConstants.instanceLabel)=\(values.meshName)); remove \(foreign.count == 1 ? "it" : "them") or choose another --mesh-name or --osm-namespace; nothing was created")
        }
        if !ours.isEmpty && !resume {
            throw partialInstallError(ours: ours, missing: missing.filter { $0.resource.kind != "CustomResourceDefinition" })
        }
        return existing
    }

    func partialInstallError(ours: [ObjectRef], missing: [ObjectRef]) -> OSMError {
        if missing.isEmpty {
            return OSMError(.meshExists, "Mesh \(values.meshName) already exists in cluster. Please specify a new mesh name using --mesh-name")
        }
        return OSMError(.partialInstall, "mesh [\(values.meshName)] is partly installed in namespace [\(namespace)] (an earlier install or uninstall stopped part way): "
            + "\(ours.count) of its objects exist (\(ours.map(\.description).joined(separator: ", "))), "
            + "\(missing.count) are missing (\(missing.map(\.description).joined(separator: ", "))); "
            + "finish it with 'osm install --resume' and the same flags, or remove it with '\(uninstallCommand)' and install again; nothing was created")
    }

    /// For a mesh whose Deployments exist: the partial-install report if some of its objects are missing.
    func partialInstallReport(objects: [JSONValue], existing: [String: JSONValue]) throws -> OSMError? {
        var ours: [ObjectRef] = [], missing: [ObjectRef] = []
        for o in objects {
            let r = try ref(o)
            if r.resource.kind == "CustomResourceDefinition" { continue }
            if existing[Self.key(r.resource, r.namespace, r.name)] != nil { ours.append(r) } else { missing.append(r) }
        }
        return missing.isEmpty ? nil : partialInstallError(ours: ours, missing: missing)
    }

    /// `existing` is the namespace as read with the checks (or why it could not be read).
    func ensureNamespace(client: any KubeAPI, existing: Swift.Result<JSONValue, KubeError>, journal: inout Journal) throws -> NamespaceChange {
        switch existing {
        case .success(let ns):
            if ns.phase == "Terminating" {
                throw OSMError("namespace [\(namespace)] is being deleted; wait until it is gone or choose another with --osm-namespace")
            }
            let previous = ns.metadata.label("name")
            guard previous != namespace else { return .none }
            _ = try client.patch(.namespaces, name: namespace, ["metadata": ["labels": ["name": .string(namespace)]]], type: .merge)
            return .labelled(previous: previous)
        case .failure(let e) where e.kind == .notFound:
            let r = ObjectRef(resource: .namespaces, namespace: nil, name: namespace)
            do throws(KubeError) {
                _ = try client.create(.namespaces, ControlPlaneManifest.namespaceObject(namespace))
                journal.created.append(r)
            } catch {
                if !Self.createdNothing(error) { journal.maybe.append(r) }
                throw error
            }
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

    /// Creates what does not exist yet (`existing`), recording in `journal` every create sent.
    /// Creates the objects in stages (what the pods use, the Deployments, the webhooks), a batch
    /// each. `record`: the Helm record's write, sent with the first stage (the namespace exists
    /// by then), and what reads its answer.
    func createAll(_ objects: [JSONValue], existing: [String: JSONValue], client: any KubeAPI, journal: inout Journal,
                   record: (write: HelmInstallRecord.Write, written: (Swift.Result<JSONValue, KubeError>) throws -> Void)? = nil) throws {
        var stages: [Int: [JSONValue]] = [:]
        for o in objects { stages[Self.stage(of: o.kind ?? ""), default: []].append(o) }
        var record = record
        for s in stages.keys.sorted() {
            try checkInterrupted()
            var targets: [(ObjectRef, JSONValue)] = []
            for o in stages[s]! {
                let r = try ref(o)
                if existing[Self.key(r.resource, r.namespace, r.name)] != nil { continue }
                targets.append((r, o))
            }
            let work = targets
            let (createdBefore, maybeBefore) = (journal.created.count, journal.maybe.count)
            var requests: [KubeRequest] = []
            for w in work { requests.append(try client.createRequest(w.0.resource, namespace: w.0.namespace, w.1)) }
            var answers = client.send(requests + (record.map { [$0.write.request] } ?? []))
            // The record first in the journal, as it was first in the batch.
            var recordError: (any Error)? = nil
            if let r = record {
                let answer = answers.removeLast()
                record = nil
                let secret = r.write.secret
                let ref = ObjectRef(resource: secret.resource, namespace: secret.namespace, name: secret.name)
                do {
                    try r.written(answer)
                    // A record taken over by --resume existed before: never the rollback's to delete.
                    if r.write.creates { journal.created.append(ref) }
                } catch {
                    if case .failure(let e) = answer, r.write.creates, !Self.createdNothing(e) { journal.maybe.append(ref) }
                    if case .failure(let e) = answer, e.kind == .interrupted {
                        recordError = e
                    } else if let e = error as? KubeError {
                        recordError = OSMError("could not create Secret \"\(ref.name)\" (the mesh's Helm release record): \(e.message)", cause: e)
                    } else {
                        recordError = error
                    }
                }
            }
            let results = answers.enumerated().map { (i, r) -> Swift.Result<Bool, KubeError> in
                switch r {
                case .success: return .success(true)
                // CRDs are shared by every mesh, as with Helm's crds/ folder
                case .failure(let e) where e.kind == .alreadyExists && work[i].0.resource.kind == "CustomResourceDefinition": return .success(false)
                case .failure(let e): return .failure(e)
                }
            }
            var failures: [String] = []
            var firstFailure: KubeError? = nil
            var interrupted: KubeError? = nil
            for (i, r) in results.enumerated() {
                let ref = work[i].0
                switch r {
                case .success(true): journal.created.append(ref)
                case .success(false): break
                case .failure(let e):
                    if !Self.createdNothing(e) { journal.maybe.append(ref) }
                    if e.kind == .interrupted { interrupted = e; continue }
                    var line = "could not create \(ref.resource.kind) \"\(ref.name)\": \(e.message)"
                    if e.kind == .alreadyExists {
                        line += " (created meanwhile by someone else? check it, then 'osm install --resume' to finish, or '\(uninstallCommand)')"
                    }
                    failures.append(line)
                    if firstFailure == nil { firstFailure = e }
                }
            }
            if let interrupted { throw interrupted }
            if let recordError {
                // Helm stores the record before it creates any object: a record that could not be
                // stored takes back the objects sent with it (the namespace, created before, stays
                // as Helm leaves it).
                let removed = removeSentWithRecord(&journal, since: (createdBefore, maybeBefore), client: client)
                failures.append(OSMError.from(recordError).message + removed)
                let message = failures.joined(separator: "; ")
                if let firstFailure { throw OSMError(message, cause: firstFailure) }
                throw OSMError.from(recordError).withMessage(message)
            }
            if let firstFailure { throw OSMError(failures.joined(separator: "; "), cause: firstFailure) }
        }
    }

    /// Deletes, in one round trip, what the round that carried the record created (or may have),
    /// and drops from `journal` what is gone; says what it did, for the error.
    func removeSentWithRecord(_ journal: inout Journal, since: (created: Int, maybe: Int), client: any KubeAPI) -> String {
        let sent = Array(journal.created[since.created...]) + Array(journal.maybe[since.maybe...])
        guard !sent.isEmpty else { return "" }
        let requests = sent.compactMap { try? client.deleteRequest($0.resource, namespace: $0.namespace, name: $0.name) }
        let answers = requests.count == sent.count ? client.send(requests) : []
        var gone: [ObjectRef] = []
        for (ref, answer) in zip(sent, answers) {
            switch answer {
            case .success: gone.append(ref)
            case .failure(let e) where e.kind == .notFound: gone.append(ref)
            case .failure: break
            }
        }
        journal.created.removeAll { gone.contains($0) }
        journal.maybe.removeAll { gone.contains($0) }
        return gone.count == sent.count
            ? " (the \(sent.count) objects sent with it were deleted)"
            : " (deleted \(gone.count) of the \(sent.count) objects sent with it)"
    }

    // MARK: waiting

    func waitForDeployments(client: any KubeAPI, objects: [JSONValue], started: ContinuousClock.Instant,
                            progress: (([DeploymentStatus]) -> Void)?) throws {
        let names = objects.filter { $0.kind == "Deployment" }.compactMap { $0.metadata.name }
        let limit: Duration? = timeout.isZero ? nil : .nanoseconds(timeout.nanoseconds)
        var last: [DeploymentStatus] = []
        var interval = 0.002
        while true {
            let items = try listControlPlaneDeployments(client: client)
            let statuses = names.map { name -> DeploymentStatus in
                let d = items.first { $0.metadata.name == name }
                let desired = d?.replicas ?? 1
                let ready = d.map(Self.availableReplicas) ?? 0
                return DeploymentStatus(name: name, ready: ready, desired: desired)
            }
            if statuses != last {
                progress?(statuses)
                last = statuses
            }
            if statuses.allSatisfy(\.isAvailable) { return }
            if let limit, ContinuousClock.now - started >= limit {
                throw OSMError(.notReady, diagnose(client: client, statuses: statuses.filter { !$0.isAvailable }, items: items))
            }
            try checkInterrupted()
            var ts = timespec(tv_sec: Int(interval), tv_nsec: Int((interval - interval.rounded(.down)) * 1e9))
            nanosleep(&ts, nil)
            try checkInterrupted()
            interval = min(interval * 2, maxPollInterval)
        }
    }

    func listControlPlaneDeployments(client: any KubeAPI) throws -> [JSONValue] {
        let selector = "\(MeshConstants.instanceLabel)=\(values.meshName)"
        let result = Swift.Result { () throws(KubeError) -> [JSONValue] in
            try client.list(.deployments, namespace: namespace, labelSelector: selector)
        }
        switch result {
        case .success(let items):
            return items
        case .failure(let error):
            guard error.kind == .timeout, !error.message.contains("may have applied") else { throw error }
            throw OSMError("the API server did not answer while waiting for the control plane (--timeout \(timeout)): \(error.message)", cause: error)
        }
    }

    static func availableReplicas(_ d: JSONValue) -> Int {
        let generation = d.metadata.generation ?? 0
        let observed = d.observedGeneration ?? 0
        if observed < generation { return 0 }
        return d.availableReplicas ?? 0
    }

    /// What is wrong with each unready Deployment: its pods, their waiting reasons and images,
    /// recent Warning events, and where to look further.
    func diagnose(client: any KubeAPI, statuses: [DeploymentStatus], items: [JSONValue]) -> String {
        let names = statuses.map(\.name).joined(separator: ", ")
        var lines = ["the control plane did not become available within \(timeout) (\(names) not ready):"]
        let events = (try? client.list(.events, namespace: namespace)) ?? []
        for s in statuses {
            lines.append("  deployment \(s.name): \(s.ready)/\(s.desired) available")
            let d = items.first { $0.metadata.name == s.name }
            let selector = (d?.matchLabels ?? ["app": s.name])
                .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let pods = (try? client.list(.pods, namespace: namespace, labelSelector: selector)) ?? []
            if pods.isEmpty { lines.append("    no pods were created for it") }
            var related: Set<String> = [s.name]
            for p in pods {
                let podName = p.metadata.name ?? "?"
                related.insert(podName)
                var line = "    pod \(podName): \(p.phase ?? "Unknown")"
                let images = Dictionary(
                    p.podContainers.compactMap { c -> (String, String)? in
                        guard let n = c.name, let i = c.image else { return nil }
                        return (n, i)
                    }, uniquingKeysWith: { a, _ in a })
                for cs in p.containerStatuses {
                    let cname = cs.name ?? ""
                    if let reason = cs.waiting?.reason {
                        let image = cs.image ?? images[cname] ?? ""
                        line += "; container \(cname) waiting: \(ServerText.printable(reason)) \(ServerText.printable(image))"
                    } else if let reason = cs.terminatedReason {
                        line += "; container \(cname) terminated: \(ServerText.printable(reason))"
                    }
                }
                lines.append(line)
            }
            let warnings = events.filter {
                $0["type"]?.stringValue == "Warning"
                    && related.contains($0.involvedObjectName ?? "")
            }
            for e in warnings.suffix(3) {
                let reason = e["reason"]?.stringValue ?? ""
                let msg = e["message"]?.stringValue ?? ""
                lines.append("    event: Warning \(ServerText.printable(reason)): \(ServerText.printable(msg))")
            }
            lines.append("    look further: kubectl describe pods -n \(namespace) -l \(selector)")
        }
        if !atomic {
            lines.append("  the objects created so far were left in place; remove them with '\(uninstallCommand)' or retry with --atomic")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: rollback

    /// Deletes, newest first, every object this run may have created (its create was sent),
    /// by name: none of them existed before the run. A second signal stops it; what is left is
    /// then listed with the command that removes it.
    /// `stopAtSignal`: the signal count that stops it (2 when a signal started it).
    func rollback(_ journal: Journal, namespaceChange: NamespaceChange, client: any KubeAPI, stopAtSignal: Int) -> String {
        let targets = Array(journal.sent.reversed())
        var deleted = 0
        var failed: [String] = []
        var left: [ObjectRef] = []
        var stopped = false
        for (i, r) in targets.enumerated() {
            if let interruption, interruption.count >= stopAtSignal {
                stopped = true
                left = Array(targets[i...])
                break
            }
            do throws(KubeError) {
                try client.delete(r.resource, namespace: r.namespace, name: r.name)
                deleted += 1
            } catch where error.kind == .notFound {
                continue
            } catch where error.kind == .interrupted {
                stopped = true
                left = Array(targets[i...])
                break
            } catch {
                failed.append("\(r): \(error.message)")
                left.append(r)
            }
        }
        var restoreFailed: String? = nil
        if !stopped, case .labelled(let previous) = namespaceChange {
            let label: JSONValue = previous.map { .string($0) } ?? .null
            do throws(KubeError) {
                _ = try client.patch(.namespaces, name: namespace, ["metadata": ["labels": ["name": label]]], type: .merge)
            } catch {
                restoreFailed = "could not restore the namespace's name label: \(error.message)"
            }
        }
        var out: String
        if stopped {
            out = "--atomic: rollback stopped by a second signal after deleting \(deleted) objects; left: \(left.map(\.description).joined(separator: ", ")); remove them with '\(uninstallCommand)'"
            if left.contains(where: { $0.resource == .namespaces }) { out += " and 'kubectl delete namespace \(namespace)'" }
        } else if failed.isEmpty {
            out = "--atomic: deleted the \(deleted) objects this install created"
        } else {
            out = "--atomic: could not delete \(failed.count) of the \(targets.count) objects this install created: \(failed.joined(separator: "; ")); remove them with '\(uninstallCommand)'"
        }
        if let restoreFailed { out += "; " + restoreFailed }
        return out
    }
}
