import Foundation
import NIOConcurrencyHelpers
import ObjectModel

/// The simulated cluster: every object, the API semantics of reads and writes, and the controllers
/// that act on them. One lock guards it all; every public entry point takes it.
final class Cluster: @unchecked Sendable {
    /// What is served; changes when CRDs come and go (always under `lock`).
    private(set) var catalog: ResourceCatalog
    private(set) var discovery: DiscoveryDocuments
    /// Counts catalog rebuilds (every CRD write), so what is derived from CRDs knows when to redo it.
    private var catalogGeneration = 0
    /// Off while the bootstrap objects (known to be clean) are made, so start-up parses no schema.
    private var pruneUnknownFields = false
    private let minorVersion: Int
    private var address = ""
    let lock = NIOLock()
    private(set) var store = ObjectStore()
    let caPEM: String
    /// Signs service account tokens (the token controller's and TokenRequest's) and checks them.
    let tokenIssuer = ServiceAccountTokenIssuer()
    let readyAfter: Double
    let unpullable: NSRegularExpression?
    /// Where the next clusterIP search starts (ServiceAllocation).
    private var nextClusterIP: UInt32 = 0
    /// Namespaces being deleted -> when they vanish (monotonic seconds).
    private var terminating: [String: Double] = [:]
    /// Pods terminating (pod key) -> when the kubelet has stopped them and they go (monotonic seconds).
    private var terminatingPods: [String: Double] = [:]
    private var replicaSetController: ReplicaSetController!
    private var deploymentController: DeploymentController!
    private var watchers: [Int: Watcher] = [:]
    private var nextWatcherID = 0
    /// How long a deleted namespace stays Terminating before it and its content go.
    var namespaceDeletionSeconds = 0.2
    /// uids of deleted objects whose dependents the garbage collector has yet to visit.
    private var goneOwners: [String] = []
    /// uids of objects in foreground deletion (waiting for their dependents).
    private var foregroundOwners = Set<String>()
    /// uids of objects deleted with propagationPolicy=Orphan (the `orphan` finalizer), whose dependents
    /// the garbage collector has yet to orphan.
    private var orphaningOwners = Set<String>()
    /// CRDs being deleted (name), whose instances the finalizer controller has yet to delete.
    var terminatingCRDs = Set<String>()

    struct Watcher {
        let storageKey: String
        let namespace: String?
        let labels: LabelSelector?
        let fields: FieldSelector?
        let send: (String, JSONValue) -> Void

        func wants(_ object: JSONValue) -> Bool {
            if let namespace, namespace != object[path: "metadata", "namespace"]?.stringValue { return false }
            if let l = labels, !l.matches(object[path: "metadata", "labels"]?.stringMap ?? [:]) { return false }
            if let f = fields, !f.matches(object) { return false }
            return true
        }
    }

    /// Recent changes of every resource (etcd's revisions, until a compaction): what lists at an
    /// older resourceVersion are rebuilt from (Cluster+List).
    var history: [(rv: Int, storageKey: String, event: String, object: JSONValue, previous: JSONValue?)] = []
    var historyTruncated = false
    /// Each resource's watch cache window (storage key -> window), from the end of start-up on.
    var watchCaches: [String: WatchCache] = [:]
    /// The resourceVersion the watch caches start at (their initial list), set once start-up is done.
    var watchCacheBaseRV: Int?
    /// watch_cache.go's eventFreshDuration (75s in 1.20): how young an event must be for the
    /// window to grow rather than drop it. 0 keeps every window at 100 events.
    var watchCacheFreshSeconds = 75.0

    init(minorVersion: Int, serverVersion: String = "v1.20.15", caPEM: String, readyAfter: Double, unpullable: NSRegularExpression?) {
        self.minorVersion = minorVersion
        catalog = ResourceCatalog(minorVersion: minorVersion)
        discovery = DiscoveryDocuments(catalog: catalog, address: "")
        self.caPEM = caPEM
        self.readyAfter = readyAfter
        self.unpullable = unpullable
        let replicaSets = ReplicaSetController(cluster: self)
        let deployments = DeploymentController(cluster: self, replicaSets: replicaSets)
        replicaSets.ownerChanged = { [unowned deployments] ns, uid in deployments.replicaSetChanged(namespace: ns, deploymentUID: uid) }
        replicaSetController = replicaSets
        deploymentController = deployments
        lock.withLock {
            for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
                _ = try? createLocked(type("", "namespaces"), namespace: nil, body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
            }
            _ = try? createLocked(type("", "nodes"), namespace: nil, body: Self.node(kubeletVersion: serverVersion))
            for role in BootstrapPolicy.clusterRoles {
                _ = try? createLocked(type("rbac.authorization.k8s.io", "clusterroles"), namespace: nil, body: role)
            }
            for binding in BootstrapPolicy.clusterRoleBindings {
                _ = try? createLocked(type("rbac.authorization.k8s.io", "clusterrolebindings"), namespace: nil, body: binding)
            }
            aggregateClusterRolesLocked()
            pruneUnknownFields = true
            watchCacheBaseRV = store.resourceVersion
        }
    }

    /// The one node pods are scheduled to (`spec.nodeName`, `status.hostIP`), Ready, as a kubelet
    /// registers it (pkg/kubelet/kubelet_node_status.go initialNode and setters.go, v1.20).
    static let nodeName = "kube-sim-node"
    static let nodeIP = "10.0.0.10"

    static func node(kubeletVersion: String) -> JSONValue {
        let now = JSONValue.string(RFC3339.now())
        let resources: JSONValue = ["cpu": "4", "ephemeral-storage": "102400Mi", "hugepages-2Mi": "0", "memory": "8Gi", "pods": "110"]
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
             "lastHeartbeatTime": now, "lastTransitionTime": now]
        }
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(nodeName), "labels": [
                "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": .string(nodeName), "kubernetes.io/os": "linux",
            ]],
            "spec": ["podCIDR": "10.244.0.0/16", "podCIDRs": ["10.244.0.0/16"]],
            "status": [
                "capacity": resources, "allocatable": resources,
                "conditions": [
                    condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                ],
                "addresses": [["type": "InternalIP", "address": .string(nodeIP)], ["type": "Hostname", "address": .string(nodeName)]],
                "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
                "nodeInfo": [
                    "architecture": "amd64", "bootID": "", "containerRuntimeVersion": "containerd://1.4.12",
                    "kernelVersion": "5.10.0", "kubeProxyVersion": .string(kubeletVersion), "kubeletVersion": .string(kubeletVersion),
                    "machineID": "", "operatingSystem": "linux", "osImage": "kube-sim", "systemUUID": "",
                ],
            ],
        ]
    }

    func type(_ group: String, _ resource: String) -> ResourceType {
        catalog.preferred(group: group, resource: resource)!
    }

    /// The catalog and discovery documents as of now, for one request.
    func snapshot() -> (ResourceCatalog, DiscoveryDocuments) {
        lock.withLock { (catalog, discovery) }
    }

    func setAddress(_ address: String) {
        lock.withLock {
            self.address = address
            discovery = DiscoveryDocuments(catalog: catalog, address: address)
            ensureKubernetesServiceLocked(address: address)
        }
    }

    /// Serves what the stored CRDs define, besides the built-in resources.
    private func rebuildCatalog() {
        let builtin = ResourceCatalog(minorVersion: minorVersion)
        guard let crd = builtin.preferred(group: "apiextensions.k8s.io", resource: "customresourcedefinitions") else { return }
        var custom: [ResourceType] = []
        for s in store.list(crd.storageKey, namespace: nil) {
            for t in ResourceCatalog.customTypes(s.object.value)
            where builtin.lookup(groupVersion: t.groupVersion, resource: t.name) == nil {
                custom.append(t)
            }
        }
        catalog = ResourceCatalog(minorVersion: minorVersion, custom: custom)
        discovery = DiscoveryDocuments(catalog: catalog, address: address)
        catalogGeneration += 1
    }

    /// What `/openapi/v2` is made of: the catalog, the stored CRDs, and the generation they are of.
    func openAPISources() -> (generation: Int, catalog: ResourceCatalog, crds: [JSONValue]) {
        lock.withLock {
            let crds = catalog.preferred(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
                .map { t in store.list(t.storageKey, namespace: nil).map(\.object.value) } ?? []
            return (catalogGeneration, catalog, crds)
        }
    }

    /// `lock.withLock` with typed throws.
    func locked<T>(_ body: () throws(StatusError) -> T) throws(StatusError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Watch

    enum WatchStart {
        case started(id: Int)
        /// Nothing was registered: the watch's one event is this ERROR Status, then it ends, as 1.20's
        /// cacher answers a resourceVersion older than its window (staging/src/k8s.io/apiserver/pkg/storage/
        /// cacher/cacher.go Watch: GetAllEventsSinceThreadUnsafe fails, `return newErrWatcher(err), nil`).
        case expired(status: JSONValue)
    }

    /// Registers a watcher. With `sinceResourceVersion` nil or 0 it first gets every current object as
    /// ADDED; otherwise it gets the recorded changes after that version, then live ones.
    func addWatcher(_ w: Watcher, sinceResourceVersion: Int?) -> WatchStart {
        lock.withLock {
            if let since = sinceResourceVersion, since > 0 {
                let window = watchCaches[w.storageKey] ?? WatchCache(listResourceVersion: watchCacheBaseRV ?? 0)
                switch window.events(since: since) {
                case .failure(let e): return .expired(status: e.body)
                case .success(let events):
                    for e in events { Self.deliver(w, e.type, e.object, previous: e.previous) }
                }
            } else {
                for e in store.list(w.storageKey, namespace: w.namespace) where w.wants(e.object.value) {
                    w.send("ADDED", e.object.value)
                }
            }
            nextWatcherID += 1
            watchers[nextWatcherID] = w
            return .started(id: nextWatcherID)
        }
    }

    func removeWatcher(_ id: Int) {
        lock.withLock { _ = watchers.removeValue(forKey: id) }
    }

    private func notify(_ t: ResourceType, _ event: String, _ object: JSONValue, previous: JSONValue? = nil) {
        defer { endpointsInputChangedLocked(t, event, object) }
        let rv = Int(object[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? store.resourceVersion
        history.append((rv, t.storageKey, event, object, previous))
        if let base = watchCacheBaseRV {
            watchCaches[t.storageKey, default: WatchCache(listResourceVersion: base)]
                .add(.init(rv: rv, time: Timestamp.monotonic(), type: event, object: object, previous: previous),
                     freshSeconds: watchCacheFreshSeconds)
        }
        if history.count > 4000 {
            history.removeFirst(1000)
            historyTruncated = true
        }
        guard !watchers.isEmpty else { return }
        for w in watchers.values where w.storageKey == t.storageKey {
            Self.deliver(w, event, object, previous: previous)
        }
    }

    /// As the watch cache does for a filtered watch: a modification that makes an object start
    /// matching is ADDED, one that makes it stop matching is DELETED (the previous state at the
    /// new resourceVersion).
    private static func deliver(_ w: Watcher, _ event: String, _ object: JSONValue, previous: JSONValue?) {
        let now = w.wants(object)
        guard event == "MODIFIED", let previous else {
            if now { w.send(event, object) }
            return
        }
        let before = w.wants(previous)
        switch (before, now) {
        case (true, true): w.send("MODIFIED", object)
        case (false, true): w.send("ADDED", object)
        case (true, false):
            var gone = previous
            gone["metadata"]?["resourceVersion"] = object[path: "metadata", "resourceVersion"]
            w.send("DELETED", gone)
        case (false, false): break
        }
    }

    // MARK: - Reads

    func get(_ t: ResourceType, namespace: String?, name: String) throws(StatusError) -> StoredObject {
        try locked { () throws(StatusError) -> StoredObject in
            guard let s = store.get(t.storageKey, namespace, name) else { throw StatusError.notFound(t, name) }
            return s
        }
    }

    struct ListResult {
        var items: [StoredObject]
        var resourceVersion: Int
        var continueToken: String?
        var remaining: Int?
    }

    func list(_ t: ResourceType, namespace: String?, labels: LabelSelector?, fields: FieldSelector?,
              limit: Int?, continueFrom: String?) -> ListResult {
        lock.withLock {
            var all = store.list(t.storageKey, namespace: namespace)
            if let continueFrom { all.removeAll { $0.key <= continueFrom } }
            if labels != nil || fields != nil {
                all = all.filter { e in
                    (labels?.matches(e.object.labels) ?? true) && (fields?.matches(e.object.value) ?? true)
                }
            }
            var token: String?
            var remaining: Int?
            if let limit, limit > 0, all.count > limit {
                remaining = all.count - limit
                all.removeSubrange(limit...)
                token = all.last.map { Base64.encode(Array($0.key.utf8)) }
            }
            return ListResult(items: all.map(\.object), resourceVersion: store.resourceVersion,
                              continueToken: token, remaining: remaining)
        }
    }

    // MARK: - Writes

    func create(_ t: ResourceType, namespace: String?, body: JSONValue, strict: Bool = false, dryRun: Bool = false,
                fieldManager: String? = nil) throws(StatusError) -> StoredObject
    {
        try locked { () throws(StatusError) -> StoredObject in
            try createLocked(t, namespace: namespace, body: body, strict: strict, dryRun: dryRun, fieldManager: fieldManager)
        }
    }

    func checkBody(_ t: ResourceType, _ body: JSONValue, strict: Bool) throws(StatusError) -> JSONValue {
        guard case .object(var o) = body else {
            throw StatusError.badRequest("the body of the request was in an unknown format")
        }
        if let kind = o["kind"]?.stringValue, kind != t.kind {
            throw StatusError.badRequest("the kind in the body (\(kind)) does not match the expected kind (\(t.kind))")
        }
        if let e = TypeCheck.firstError(.object(o), kind: t.kind, version: t.version) {
            throw StatusError.badRequest("\(t.kind) in version \"\(t.version)\" cannot be handled as a \(t.kind): \(e)")
        }
        // fieldValidation exists from 1.23 and is on by default from 1.25 (ServerSideFieldValidation beta);
        // an older server ignores the parameter and drops unknown fields.
        let refuse = strict && minorVersion >= 25
        func refused(_ unknown: [String]) -> StatusError {
            let what = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
            return StatusError.badRequest(
                "\(t.kind) in version \"\(t.version)\" cannot be handled as a \(t.kind): strict decoding error: \(what)")
        }
        if pruneUnknownFields, !t.custom, let (pruned, unknown) = BuiltinSchemas.prune(.object(o), group: t.group, version: t.version, kind: t.kind) {
            if refuse && !unknown.isEmpty { throw refused(unknown) }
            return pruned
        }
        if t.custom {
            guard let schema = customResourceSchemaLocked(t) else { return .object(o) }
            let (pruned, unknown) = StructuralPruning.prune(.object(o), schema)
            if refuse && !unknown.isEmpty { throw refused(unknown) }
            let defaulted = CustomResourceSchema.applyDefaults(pruned, schema)
            let errors = CustomResourceSchema.validate(defaulted, schema)
            if !errors.isEmpty {
                throw StatusError.invalid(kind: t.kind, group: t.group, name: o["metadata"]?["name"]?.stringValue ?? "", errors)
            }
            return defaulted
        }
        let unknown = KnownFields.unknown(in: o.keys, kind: t.kind)
        if !unknown.isEmpty {
            if refuse { throw refused(unknown) }
            for k in unknown { o[k] = nil }
        }
        return .object(o)
    }

    /// The pruning schema of a served custom resource version, from the CRD that serves it.
    private func customResourceSchemaLocked(_ t: ResourceType) -> JSONValue? {
        guard let crdType = catalog.preferred(group: "apiextensions.k8s.io", resource: "customresourcedefinitions"),
              let crd = store.get(crdType.storageKey, nil, t.storageKey) else { return nil }
        return StructuralPruning.schema(crd.value, version: t.version)
    }

    private func requireNamespace(_ t: ResourceType, _ namespace: String?, name: String) throws(StatusError) {
        guard t.namespaced else { return }
        guard let namespace, !namespace.isEmpty else {
            throw StatusError.badRequest("the server could not find the requested resource")
        }
        guard let ns = store.get("namespaces", nil, namespace) else {
            throw StatusError.namespaceNotFound(namespace, catalog: catalog)
        }
        if ns.value[path: "status", "phase"]?.stringValue == "Terminating" {
            throw StatusError.forbidden(
                t, name, "unable to create new content in namespace \(namespace) because it is being terminated")
        }
    }

    func createLocked(_ t: ResourceType, namespace: String?, body: JSONValue, strict: Bool = false,
                      dryRun: Bool = false, fieldManager: String? = nil) throws(StatusError) -> StoredObject
    {
        if t.custom, let refusal = customResourceCreateRefusalLocked(t) { throw refusal }
        var o = try checkBody(t, body, strict: strict)
        // A custom resource with the status subresource starts without one (1.20's
        // customresource strategy PrepareForCreate), as built-in kinds' strategies do.
        if t.custom && t.hasStatus { o["status"] = nil }
        var meta = o["metadata"]?.objectValue ?? JSONObject()
        var name = meta["name"]?.stringValue ?? ""
        let generateName = meta["generateName"]?.stringValue ?? ""
        // rest.BeforeCreate: a name from generateName only when none is given.
        if name.isEmpty, !generateName.isEmpty { name = Identifiers.generateName(generateName) }
        if t.namespaced {
            if let bodyNS = meta["namespace"]?.stringValue, !bodyNS.isEmpty, bodyNS != namespace {
                throw StatusError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
        }
        // Admission runs before the registry's validation; NamespaceLifecycle first (admission
        // names an object by its generateName while it has no name: admission.NewForbidden).
        try requireNamespace(t, namespace, name: name)
        if !t.custom, t.kind == "Pod" {
            try admitPodLocked(&o, namespace: namespace ?? "", reportedName: name.isEmpty || meta["name"] == nil ? generateName : name)
        }
        // ValidateObjectMeta (apimachinery/pkg/api/validation/objectmeta.go): generateName as a prefix first, then the name.
        var nameProblems: [(field: String, message: String, reason: String)] = []
        if !generateName.isEmpty, let problem = NameValidation.check(generateName, t.nameRule, prefix: true) {
            nameProblems.append(("metadata.generateName", "Invalid value: \(GoValue.quote(generateName)): \(problem)", "FieldValueInvalid"))
        }
        if name.isEmpty {
            nameProblems.append(("metadata.name", "Required value: name or generateName is required", "FieldValueRequired"))
        } else if let problem = NameValidation.check(name, t.nameRule) {
            nameProblems.append(("metadata.name", "Invalid value: \(GoValue.quote(name)): \(problem)", "FieldValueInvalid"))
        }
        if !nameProblems.isEmpty { throw StatusError.invalid(t, name, causes: nameProblems) }

        meta["name"] = .string(name)
        if t.namespaced { meta["namespace"] = .string(namespace ?? "") } else { meta["namespace"] = nil }
        let requestedResourceVersion = meta["resourceVersion"]?.stringValue ?? ""
        meta["resourceVersion"] = nil
        meta["uid"] = .string(Identifiers.uid())
        meta["creationTimestamp"] = .string(RFC3339.now())
        meta["deletionTimestamp"] = nil
        meta["selfLink"] = nil
        meta["generation"] = Self.keepsGeneration(t) ? 1 : nil
        o["metadata"] = .object(meta)
        var value = o
        value["apiVersion"] = .string(t.groupVersion)
        value["kind"] = .string(t.kind)
        ObjectDefaults.apply(&value, kind: t.kind, version: t.version)
        if t.kind == "Service", !t.custom { ServiceAllocation.defaults(&value) }
        if let fieldManager {
            ManagedFields.recordUpdate(&value, old: nil, t, manager: fieldManager, ignoreStatus: t.kind != "Namespace")
        }
        var problems = Validator.validate(value, t)
        if problems.isEmpty, t.kind == "Service", !t.custom {
            problems = ServiceAllocation.allocate(&value, old: nil, others: otherServices(t, namespace, name), next: &nextClusterIP)
        }
        if !problems.isEmpty { throw StatusError.invalid(t, name, problems) }
        // The storage's create (apiserver/pkg/storage/etcd3/store.go Create) refuses a resourceVersion
        // with a plain error, which the handler answers as 500 with no reason
        // (apimachinery/pkg/api/errors ... ErrorToAPIStatus default case). A dry run never reaches it
        // (registry/generic/registry/dryrun.go Create only checks that the key is free).
        if !dryRun, let rv = UInt64(requestedResourceVersion), rv != 0 {
            throw StatusError(code: 500, reason: "", message: "resourceVersion should not be set on objects to be created")
        }
        if store.get(t.storageKey, namespace, name) != nil { throw StatusError.alreadyExists(t, name) }
        if dryRun {
            value["metadata"]?["resourceVersion"] = .string(String(store.resourceVersion))
            return StoredObject(value)
        }
        value["metadata"]?["resourceVersion"] = .string(String(store.nextResourceVersion()))
        value = reorder(value)
        let stored = store.put(t.storageKey, namespace, name, value)
        notify(t, "ADDED", value)
        afterWrite(t, namespace: namespace, name: name, created: true)
        return stored
    }

    /// apiVersion, kind, metadata first, then the rest, as the server prints; empty maps and lists
    /// that Go's `omitempty` would drop are dropped.
    private func reorder(_ v: JSONValue) -> JSONValue {
        guard case .object(var o) = v else { return v }
        if case .object(var meta)? = o["metadata"] {
            for k in ["labels", "annotations", "finalizers", "ownerReferences"] where Self.isEmptyContainer(meta[k]) {
                meta[k] = nil
            }
            o["metadata"] = .object(meta)
        }
        for k in ["data", "binaryData", "stringData"] where Self.isEmptyContainer(o[k]) { o[k] = nil }
        var out = JSONObject()
        for k in ["apiVersion", "kind", "metadata"] { if let x = o[k] { out[k] = x } }
        for (k, x) in o where out[k] == nil { out[k] = x }
        return .object(out)
    }

    private static func isEmptyContainer(_ v: JSONValue?) -> Bool {
        switch v {
        case .object(let o)?: return o.isEmpty
        case .array(let a)?: return a.isEmpty
        case .null?: return true
        default: return false
        }
    }

    enum UpdateScope { case main, status, scale }

    /// PUT: replace, with optimistic concurrency on metadata.resourceVersion.
    func update(_ t: ResourceType, namespace: String?, name: String, body: JSONValue, scope: UpdateScope,
                strict: Bool = false, dryRun: Bool = false, fieldManager: String? = nil) throws(StatusError) -> StoredObject
    {
        try locked { () throws(StatusError) -> StoredObject in
            let o = try checkBody(t, body, strict: strict)
            if let bodyName = o["metadata"]?["name"]?.stringValue, bodyName != name {
                throw StatusError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
            guard let old = store.get(t.storageKey, namespace, name) else { throw StatusError.notFound(t, name) }
            // A uid in the body is a precondition (handlers/rest defaultUpdatedObjectInfo.Preconditions), checked
            // before the resourceVersion (storage Preconditions.Check in GuaranteedUpdate), and answered as
            // storeerr.InterpretUpdateError answers an invalid-object storage error: 409 Conflict.
            if let uid = o["metadata"]?["uid"]?.stringValue, !uid.isEmpty,
               uid != old.value[path: "metadata", "uid"]?.stringValue {
                throw StatusError.storagePreconditionFailed(t, namespace: namespace, name: name,
                    "Precondition failed: UID in precondition: \(uid), UID in object meta: \(old.value[path: "metadata", "uid"]?.stringValue ?? "")")
            }
            if let rv = o["metadata"]?["resourceVersion"]?.stringValue, !rv.isEmpty,
               rv != old.value[path: "metadata", "resourceVersion"]?.stringValue {
                throw StatusError.conflict(t, name)
            }
            return try replaceLocked(t, namespace: namespace, name: name, old: old, new: o, scope: scope, dryRun: dryRun,
                                     fieldManager: fieldManager)
        }
    }

    enum PatchType { case merge, strategic, json }

    func patch(_ t: ResourceType, namespace: String?, name: String, patch: JSONValue, type: PatchType,
               scope: UpdateScope, strict: Bool = false, dryRun: Bool = false, fieldManager: String? = nil) throws(StatusError) -> StoredObject
    {
        try locked { () throws(StatusError) -> StoredObject in
            guard let old = store.get(t.storageKey, namespace, name) else { throw StatusError.notFound(t, name) }
            let patched: JSONValue
            switch type {
            case .merge: patched = MergePatch.apply(patch, to: old.value)
            case .strategic: patched = try StrategicMergePatch.apply(patch, to: old.value)
            case .json: patched = try JSONPatch.apply(patch, to: old.value)
            }
            let checked = try checkBody(t, patched, strict: strict)
            // A patch carries no precondition: a changed uid reaches rest.BeforeUpdate's
            // ValidateObjectMetaUpdate, `metadata.uid: Invalid value: ...: field is immutable`.
            if scope == .main, let uid = checked[path: "metadata", "uid"], uid != old.value[path: "metadata", "uid"] {
                throw StatusError.invalid(t, name, [.invalid("metadata.uid", GoValue.scalar(uid), "field is immutable")])
            }
            if let rv = patch["metadata"]?["resourceVersion"]?.stringValue, !rv.isEmpty,
               rv != old.value[path: "metadata", "resourceVersion"]?.stringValue {
                throw StatusError.conflict(t, name)
            }
            return try replaceLocked(t, namespace: namespace, name: name, old: old, new: checked, scope: scope, dryRun: dryRun,
                                     fieldManager: fieldManager)
        }
    }

    /// Keeps what clients may not change, bumps resourceVersion (and generation on spec change)
    /// only when something changed.
    func replaceLocked(_ t: ResourceType, namespace: String?, name: String, old: StoredObject,
                       new: JSONValue, scope: UpdateScope, dryRun: Bool, fieldManager: String? = nil) throws(StatusError) -> StoredObject
    {
        var value: JSONValue
        switch scope {
        case .main:
            value = new
            if t.hasStatus { value["status"] = old.value["status"] }
            var meta = value["metadata"]?.objectValue ?? JSONObject()
            let oldMeta = old.value["metadata"]?.objectValue ?? JSONObject()
            for k in ["uid", "creationTimestamp", "namespace", "name", "generation", "deletionTimestamp", "resourceVersion"] {
                meta[k] = oldMeta[k]
            }
            value["metadata"] = .object(meta)
        case .status:
            value = old.value
            value["status"] = new["status"]
            // The field manager reads managedFields from the new object when it has some (fieldmanager.go Update).
            if let mf = new[path: "metadata", "managedFields"], !(mf.arrayValue?.isEmpty ?? true) {
                value["metadata"]?["managedFields"] = mf
            }
        case .scale:
            value = old.value
            value["spec"]?["replicas"] = new[path: "spec", "replicas"] ?? old.value[path: "spec", "replicas"]
        }
        if t.kind == "Secret", let sd = value["stringData"]?.objectValue {
            var data = value["data"]?.objectValue ?? JSONObject()
            for (k, v) in sd { data[k] = .string(Base64.encode(Array((v.stringValue ?? "").utf8))) }
            value["data"] = .object(data)
            value["stringData"] = nil
        }
        if t.kind == "Service", (value["spec"]?["clusterIP"]?.stringValue ?? "").isEmpty {
            value["spec"]?["clusterIP"] = old.value[path: "spec", "clusterIP"]
            value["spec"]?["clusterIPs"] = old.value[path: "spec", "clusterIPs"]
        }
        if t.kind == "Service", !t.custom, scope == .main { ServiceAllocation.defaults(&value) }
        value["apiVersion"] = .string(t.groupVersion)
        value["kind"] = .string(t.kind)
        if !t.custom, ObjectDefaults.templateKinds.contains(t.kind) { ObjectDefaults.defaultTemplate(&value) }
        if !t.custom, t.kind == "Pod", scope == .main, var spec = value["spec"] {
            // Decoding defaults the new pod; DefaultTolerationSeconds admits updates too.
            ObjectDefaults.defaultPodSpec(&spec)
            ObjectDefaults.defaultPodOnly(&spec)
            value["spec"] = spec
            Self.admitDefaultTolerationSeconds(&value)
        }
        ObjectDefaults.defaultSubjects(&value, kind: t.kind)
        if t.kind.hasSuffix("WebhookConfiguration") {
            ObjectDefaults.defaultWebhooks(&value, mutating: t.kind.hasPrefix("Mutating"), v1: t.version == "v1")
        }
        if scope == .main, !t.custom { ObjectDefaults.applyOnUpdate(&value, kind: t.kind, version: t.version) }
        if let fieldManager {
            ManagedFields.recordUpdate(&value, old: old.value, t, manager: fieldManager,
                                       ignoreStatus: scope == .main && t.kind != "Namespace")
        }
        if scope == .main {
            var problems = Validator.validateUpdate(value, old: old.value, t, minor: minorVersion)
            if old.value[path: "metadata", "deletionTimestamp"] != nil {
                let before = Set(old.value[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                let added = (value[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []).filter { !before.contains($0) }
                if !added.isEmpty {
                    problems.append(.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers \(GoValue.strings(added))"))
                }
            }
            if problems.isEmpty, t.kind == "Service", !t.custom {
                problems = ServiceAllocation.allocate(&value, old: old.value, others: otherServices(t, namespace, name),
                                                      next: &nextClusterIP)
            }
            if !problems.isEmpty { throw StatusError.invalid(t, name, problems) }
        }
        value = reorder(value)
        if value == old.value { return old }
        if scope != .status, Self.bumpsGeneration(t, value, old.value), let g = old.value[path: "metadata", "generation"]?.intValue {
            value["metadata"]?["generation"] = .int(g + 1)
        }
        if dryRun { return StoredObject(value) }
        value["metadata"]?["resourceVersion"] = .string(String(store.nextResourceVersion()))
        value = reorder(value)
        let stored = store.put(t.storageKey, namespace, name, value)
        notify(t, "MODIFIED", value, previous: old.value)
        // The last finalizer of an object being deleted is gone: now it goes.
        if t.kind != "Namespace", value[path: "metadata", "deletionTimestamp"] != nil,
           value[path: "metadata", "finalizers"]?.arrayValue?.isEmpty ?? true {
            removeLocked(t, namespace, name)
            return stored
        }
        afterWrite(t, namespace: namespace, name: name, created: false)
        return stored
    }

    /// Internal write (controllers): no checks, bumps resourceVersion, notifies watchers.
    @discardableResult
    func putLocked(_ t: ResourceType, _ value: JSONValue) -> StoredObject {
        var value = value
        let ns = value[path: "metadata", "namespace"]?.stringValue
        let name = value[path: "metadata", "name"]?.stringValue ?? ""
        let existing = store.get(t.storageKey, ns, name)
        if value[path: "metadata", "uid"] == nil { value["metadata"]?["uid"] = .string(Identifiers.uid()) }
        if value[path: "metadata", "creationTimestamp"] == nil {
            value["metadata"]?["creationTimestamp"] = .string(RFC3339.now())
        }
        value["metadata"]?["resourceVersion"] = .string(String(store.nextResourceVersion()))
        value = reorder(value)
        let s = store.put(t.storageKey, ns, name, value)
        notify(t, existing != nil ? "MODIFIED" : "ADDED", value, previous: existing?.value)
        return s
    }

    @discardableResult
    func removeLocked(_ t: ResourceType, _ namespace: String?, _ name: String) -> StoredObject? {
        guard let s = store.remove(t.storageKey, namespace, name) else { return nil }
        if let uid = s.value[path: "metadata", "uid"]?.stringValue { goneOwners.append(uid) }
        var v = s.value
        v["metadata"]?["resourceVersion"] = .string(String(store.nextResourceVersion()))
        notify(t, "DELETED", v, previous: s.value)
        if !t.custom, t.kind == "Pod" || t.kind == "ReplicaSet" { replicaSetController.objectRemoved(t, s.value) }
        if t.kind == "ClusterRole", !t.custom { aggregateClusterRolesLocked() }
        if t.kind == "ServiceAccount" || t.kind == "Secret" { serviceAccountObjectRemovedLocked(t, s.value) }
        if t.kind == "CustomResourceDefinition", !t.custom {
            for ct in ResourceCatalog.customTypes(s.value) {
                for o in store.list(ct.storageKey, namespace: nil) {
                    removeLocked(ct, o.object.namespace.isEmpty ? nil : o.object.namespace, o.object.name)
                }
            }
            rebuildCatalog()
        }
        return s
    }

    /// Every stored Service but `namespace/name`: what holds clusterIPs and nodePorts.
    private func otherServices(_ t: ResourceType, _ namespace: String?, _ name: String) -> [JSONValue] {
        store.list(t.storageKey, namespace: nil).map(\.object)
            .filter { $0.namespace != (namespace ?? "") || $0.name != name }.map(\.value)
    }

    func getLocked(_ t: ResourceType, _ namespace: String?, _ name: String) -> StoredObject? {
        store.get(t.storageKey, namespace, name)
    }

    /// Direct seeding for tests: create or replace without validation.
    func seed(_ object: JSONValue) throws(StatusError) {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue,
              let t = snapshot().0.type(apiVersion: apiVersion, kind: kind)
        else { throw StatusError.badRequest("unknown apiVersion/kind in seeded object") }
        try locked { () throws(StatusError) in
            let ns = t.namespaced ? (object[path: "metadata", "namespace"]?.stringValue ?? "default") : nil
            let name = object[path: "metadata", "name"]?.stringValue ?? ""
            if let old = store.get(t.storageKey, ns, name) {
                var v = object
                v["metadata"]?["resourceVersion"] = nil
                if v[path: "metadata", "uid"] == nil { v["metadata"]?["uid"] = old.value[path: "metadata", "uid"] }
                putLocked(t, v)
                afterWrite(t, namespace: ns, name: name, created: false)
            } else {
                var v = object
                v["metadata"]?["resourceVersion"] = nil
                if t.namespaced { v["metadata"]?["namespace"] = .string(ns ?? "default") }
                if v["metadata"]?["generation"] == nil, Self.keepsGeneration(t) { v["metadata"]?["generation"] = 1 }
                if t.kind == "Namespace", v["status"] == nil { v["status"] = ["phase": "Active"] }
                if t.namespaced, store.get("namespaces", nil, ns ?? "") == nil {
                    _ = try createLocked(type("", "namespaces"), namespace: nil,
                                         body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns ?? "")]])
                }
                putLocked(t, v)
                afterWrite(t, namespace: ns, name: name, created: true)
            }
        }
    }

    /// What a DELETE asks for: DeleteOptions from the body and the query.
    struct DeleteOptions {
        var propagationPolicy: String?
        var uid: String?
        var resourceVersion: String?
        var gracePeriodSeconds: Int?
    }

    func delete(_ t: ResourceType, namespace: String?, name: String, options: DeleteOptions = DeleteOptions(),
                dryRun: Bool = false) throws(StatusError) -> JSONValue {
        try locked { () throws(StatusError) -> JSONValue in
            try deleteLocked(t, namespace: namespace, name: name, options: options, dryRun: dryRun)
        }
    }

    func deleteLocked(_ t: ResourceType, namespace: String?, name: String, options: DeleteOptions,
                              dryRun: Bool) throws(StatusError) -> JSONValue {
        guard let s = store.get(t.storageKey, namespace, name) else { throw StatusError.notFound(t, name) }
        let meta = s.value["metadata"] ?? [:]
        if let e = StatusError.deletePreconditionFailed(t, name, options: options, meta: meta) { throw e }
        // A dry run answers as the delete would, and changes nothing (the registry's Delete with
        // dryRun: staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go, v1.20).
        if t.kind == "CustomResourceDefinition", !t.custom, meta["deletionTimestamp"] == nil {
            return crdDeletionLocked(t, s.value, dryRun: dryRun)
        }
        if t.kind == "Namespace" {
            if ["default", "kube-system", "kube-public"].contains(name) {
                throw StatusError.forbidden(t, name, "this namespace may not be deleted")
            }
            if s.value[path: "status", "phase"]?.stringValue == "Terminating" { return s.value }
            var v = s.value
            v["metadata"]?["deletionTimestamp"] = .string(RFC3339.now())
            v["metadata"]?["deletionGracePeriodSeconds"] = 0
            v["status"] = ["phase": "Terminating"]
            if dryRun { return v }
            let stored = putLocked(t, v)
            terminating[name] = Timestamp.monotonic() + namespaceDeletionSeconds
            return stored.value
        }
        let pod = t.kind == "Pod" && !t.custom
        if pod, let terminating = gracefulPodDeletion(s, options: options, dryRun: dryRun) { return terminating }
        // Already being deleted: nothing more to do until its finalizers go (a terminating pod asked
        // with grace 0 goes on, to go now).
        if meta["deletionTimestamp"] != nil, !pod { return s.value }
        let uid = meta["uid"]?.stringValue ?? ""
        var finalizers = meta["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        // deletionFinalizersForGarbageCollection (registry/store.go, v1.20): Orphan adds the `orphan`
        // finalizer, Foreground `foregroundDeletion`; the garbage collector then orphans or deletes the
        // dependents and removes it (garbagecollector.go processDeletingDependentsItem/orphanDependents).
        switch options.propagationPolicy {
        case "Orphan"?:
            finalizers.removeAll { $0 == "foregroundDeletion" }
            if !finalizers.contains("orphan") { finalizers.append("orphan") }
        case "Foreground"?:
            finalizers.removeAll { $0 == "orphan" }
            if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
        default: break
        }
        if !finalizers.isEmpty {
            var v = s.value
            // registry/generic/registry/store.go markAsDeleting: the first deletionTimestamp bumps a generation.
            if meta["deletionTimestamp"] == nil, let g = meta["generation"]?.intValue, g > 0 { v["metadata"]?["generation"] = .int(g + 1) }
            v["metadata"]?["deletionTimestamp"] = .string(RFC3339.now())
            v["metadata"]?["deletionGracePeriodSeconds"] = 0
            v["metadata"]?["finalizers"] = JSONValue(finalizers)
            if dryRun { return v }
            let stored = putLocked(t, v)
            if finalizers.contains("foregroundDeletion") { foregroundOwners.insert(uid) }
            if finalizers.contains("orphan") { orphaningOwners.insert(uid) }
            return stored.value
        }
        if !dryRun { removeLocked(t, namespace, name) }
        var details = JSONObject(["name": .string(name), "kind": .string(t.name)])
        if !t.group.isEmpty { details["group"] = .string(t.group) }
        details["uid"] = meta["uid"]
        return ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": .object(details)]
    }

    /// A pod's graceful deletion (pkg/registry/core/pod/strategy.go CheckGracefulDelete: the request's
    /// gracePeriodSeconds, else spec.terminationGracePeriodSeconds, else 30; 0 for a pod never scheduled or
    /// already Succeeded/Failed; registry/generic/registry/store.go updateForGracefulDeletionAndFinalizers):
    /// deletionTimestamp now + grace, deletionGracePeriodSeconds, the pod answered and kept Terminating until
    /// the kubelet has stopped it, which takes the shorter of the grace period and `readyAfter` (containers
    /// stop as fast as they start here). Nil when the pod goes now: grace 0 (`--grace-period=0 --force`),
    /// or already terminating and asked again with 0. A repeat with a shorter period shortens it.
    private func gracefulPodDeletion(_ s: StoredObject, options: DeleteOptions, dryRun: Bool = false) -> JSONValue? {
        let key = ObjectStore.key(s.namespace, s.name)
        var grace = options.gracePeriodSeconds ?? s.value[path: "spec", "terminationGracePeriodSeconds"]?.intValue ?? 30
        let phase = s.value[path: "status", "phase"]?.stringValue
        if s.value[path: "spec", "nodeName"] == nil || phase == "Succeeded" || phase == "Failed" { grace = 0 }
        grace = max(0, grace)
        if let current = s.value[path: "metadata", "deletionGracePeriodSeconds"]?.intValue,
           s.value[path: "metadata", "deletionTimestamp"] != nil {
            // Already terminating: only a shorter period changes anything; 0 removes it now.
            if grace >= current { return s.value }
            if grace == 0 {
                if !dryRun { terminatingPods[key] = nil }
                return nil
            }
        } else if grace == 0 {
            return nil
        }
        var v = s.value
        v["metadata"]?["deletionTimestamp"] = .string(RFC3339.format(seconds: Int(time(nil)) + grace))
        v["metadata"]?["deletionGracePeriodSeconds"] = .int(grace)
        if dryRun { return v }
        terminatingPods[key] = Timestamp.monotonic() + min(Double(grace), readyAfter)
        let stored = putLocked(type("", "pods"), v)
        replicaSetController.podTerminating(stored.value)
        return stored.value
    }

    /// What a controller's deletion of a pod does: the same graceful deletion as a client's.
    func deletePodLocked(_ namespace: String, _ name: String) {
        _ = try? deleteLocked(type("", "pods"), namespace: namespace, name: name, options: DeleteOptions(), dryRun: false)
    }

    func deleteCollection(_ t: ResourceType, namespace: String?, labels: LabelSelector?, fields: FieldSelector?,
                          options: DeleteOptions = DeleteOptions()) -> [StoredObject] {
        lock.withLock {
            let victims = store.list(t.storageKey, namespace: namespace).map(\.object).filter {
                (labels?.matches($0.labels) ?? true) && (fields?.matches($0.value) ?? true)
            }
            for v in victims {
                _ = try? deleteLocked(t, namespace: v.namespace.isEmpty ? nil : v.namespace, name: v.name,
                                      options: DeleteOptions(propagationPolicy: options.propagationPolicy), dryRun: false)
            }
            return victims
        }
    }

    // MARK: - Garbage collection

    /// Every object (any kind) whose ownerReferences name `uid`.
    private func dependents(of uid: String) -> [(ResourceType, StoredObject)] {
        var out: [(ResourceType, StoredObject)] = []
        var seen = Set<String>()
        for t in catalog.all where seen.insert(t.storageKey).inserted {
            for o in store.values(t.storageKey)
            where o.value[path: "metadata", "ownerReferences"]?.arrayValue?.contains(where: { $0["uid"]?.stringValue == uid }) == true {
                out.append((t, o))
            }
        }
        return out
    }

    private func withoutOwner(_ v: JSONValue, _ uid: String) -> JSONValue {
        var v = v
        let refs = v[path: "metadata", "ownerReferences"]?.arrayValue?.filter { $0["uid"]?.stringValue != uid } ?? []
        v["metadata"]?["ownerReferences"] = refs.isEmpty ? nil : .array(refs)
        return v
    }

    /// propagationPolicy=Orphan: dependents lose their reference to the owner and stay.
    private func orphanDependents(of uid: String) {
        for (t, o) in dependents(of: uid) { putLocked(t, withoutOwner(o.value, uid)) }
    }

    /// The garbage collector's part: dependents of owners that are gone are deleted (in the
    /// background, on the next tick) unless another owner still exists; owners in foreground
    /// deletion go once their dependents have.
    private func collectGarbage() {
        if !goneOwners.isEmpty {
            let gone = goneOwners
            goneOwners = []
            // One pass: which uids live, and who depends on whom.
            var live = Set<String>()
            var byOwner: [String: [(ResourceType, StoredObject)]] = [:]
            var seen = Set<String>()
            for t in catalog.all where seen.insert(t.storageKey).inserted {
                for o in store.values(t.storageKey) {
                    if let u = o.value[path: "metadata", "uid"]?.stringValue { live.insert(u) }
                    for r in o.value[path: "metadata", "ownerReferences"]?.arrayValue ?? [] {
                        if let u = r["uid"]?.stringValue { byOwner[u, default: []].append((t, o)) }
                    }
                }
            }
            for uid in gone where !live.contains(uid) {
                for (t, o) in byOwner[uid] ?? [] {
                    // Re-read: an earlier step may have changed or removed it.
                    guard let cur = store.get(t.storageKey, o.namespace.isEmpty ? nil : o.namespace, o.name) else { continue }
                    let others = (cur.value[path: "metadata", "ownerReferences"]?.arrayValue ?? [])
                        .compactMap { $0["uid"]?.stringValue }.filter { $0 != uid && live.contains($0) }
                    if others.isEmpty {
                        _ = try? deleteLocked(t, namespace: cur.namespace.isEmpty ? nil : cur.namespace, name: cur.name,
                                              options: DeleteOptions(), dryRun: false)
                    } else {
                        putLocked(t, withoutOwner(cur.value, uid))
                    }
                }
            }
        }
        for uid in orphaningOwners {
            orphaningOwners.remove(uid)
            guard let (t, owner) = objectWithUID(uid) else { continue }
            orphanDependents(of: uid)
            var v = owner.value
            let rest = (v[path: "metadata", "finalizers"]?.arrayValue ?? []).filter { $0.stringValue != "orphan" }
            v["metadata"]?["finalizers"] = rest.isEmpty ? nil : .array(rest)
            if rest.isEmpty {
                removeLocked(t, owner.namespace.isEmpty ? nil : owner.namespace, owner.name)
            } else {
                putLocked(t, v)
            }
        }
        finishCRDDeletionsLocked()
        for uid in foregroundOwners {
            let deps = dependents(of: uid)
            for (t, o) in deps where o.value[path: "metadata", "deletionTimestamp"] == nil {
                _ = try? deleteLocked(t, namespace: o.namespace.isEmpty ? nil : o.namespace, name: o.name,
                                      options: DeleteOptions(propagationPolicy: "Foreground"), dryRun: false)
            }
            guard dependents(of: uid).isEmpty, let (t, owner) = objectWithUID(uid) else { continue }
            foregroundOwners.remove(uid)
            var v = owner.value
            let rest = (v[path: "metadata", "finalizers"]?.arrayValue ?? []).filter { $0.stringValue != "foregroundDeletion" }
            v["metadata"]?["finalizers"] = rest.isEmpty ? nil : .array(rest)
            if rest.isEmpty {
                removeLocked(t, owner.namespace.isEmpty ? nil : owner.namespace, owner.name)
            } else {
                putLocked(t, v)
            }
        }
    }

    private func objectWithUID(_ uid: String) -> (ResourceType, StoredObject)? {
        var seen = Set<String>()
        for t in catalog.all where seen.insert(t.storageKey).inserted {
            for o in store.values(t.storageKey) where o.value[path: "metadata", "uid"]?.stringValue == uid { return (t, o) }
        }
        return nil
    }

    // MARK: - Controllers

    private func afterWrite(_ t: ResourceType, namespace: String?, name: String, created: Bool) {
        switch t.kind {
        case "Namespace" where created:
            let cm = type("", "configmaps")
            if store.get(cm.storageKey, name, "kube-root-ca.crt") == nil {
                putLocked(cm, ["apiVersion": "v1", "kind": "ConfigMap",
                               "metadata": ["name": "kube-root-ca.crt", "namespace": .string(name)],
                               "data": ["ca.crt": .string(caPEM)]])
            }
            let sa = type("", "serviceaccounts")
            if store.get(sa.storageKey, name, "default") == nil {
                putLocked(sa, ["apiVersion": "v1", "kind": "ServiceAccount",
                               "metadata": ["name": "default", "namespace": .string(name)]])
            }
            ensureServiceAccountTokenLocked(namespace: name, name: "default")
        case "ServiceAccount" where !t.custom:
            ensureServiceAccountTokenLocked(namespace: namespace ?? "", name: name)
            // ReplicaSets whose pods were refused for want of this account try again (the controller's retry).
            replicaSetController.serviceAccountAppeared(namespace: namespace ?? "")
        case "Deployment" where !t.custom:
            deploymentController.reconcile(namespace: namespace ?? "", name: name)
        case "ReplicaSet" where !t.custom:
            replicaSetController.sync(namespace: namespace ?? "", name: name)
        case "CustomResourceDefinition":
            rebuildCatalog()
        case "ClusterRole":
            aggregateClusterRolesLocked()
        case "Pod" where created:
            replicaSetController.podCreated(namespace: namespace ?? "", name: name)
        default: break
        }
    }

    /// Periodic work: namespaces that finish terminating, pods that become ready.
    func tick() {
        lock.withLock {
            let now = Timestamp.monotonic()
            for (ns, due) in terminating where due <= now {
                terminating[ns] = nil
                for t in catalog.all where t.namespaced {
                    for o in store.list(t.storageKey, namespace: ns) { removeLocked(t, ns, o.object.name) }
                }
                removeLocked(type("", "namespaces"), nil, ns)
            }
            for (key, due) in terminatingPods where due <= now {
                terminatingPods[key] = nil
                let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2, let p = store.get(type("", "pods").storageKey, parts[0], parts[1]) else { continue }
                // The kubelet's final delete (grace 0); finalizers, if any, still hold it.
                if p.value[path: "metadata", "finalizers"]?.arrayValue?.isEmpty ?? true { removeLocked(type("", "pods"), parts[0], parts[1]) }
            }
            collectGarbage()
            replicaSetController.tick(now: now)
        }
    }
}
