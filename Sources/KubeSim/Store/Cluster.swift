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
    var catalogGeneration = 0
    /// Off while the bootstrap objects (known to be clean) are made, so start-up parses no schema.
    var pruneUnknownFields = false
    let minorVersion: Int
    var address = ""
    let lock = NIOLock()
    var store = ObjectStore()
    let caPEM: String
    /// Signs service account tokens (the token controller's and TokenRequest's) and checks them.
    let tokenIssuer = ServiceAccountTokenIssuer()
    let readyAfter: Double
    let unpullable: NSRegularExpression?
    /// Where the next clusterIP search starts (ServiceAllocation).
    var nextClusterIP: UInt32 = 0
    /// Namespaces being deleted -> when they vanish (monotonic seconds).
    var terminating: [String: Double] = [:]
    /// Pods terminating (pod key) -> when the kubelet has stopped them and they go (monotonic seconds).
    var terminatingPods: [String: Double] = [:]
    var replicaSetController: ReplicaSetController!
    var deploymentController: DeploymentController!
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 0
    /// How long a deleted namespace stays Terminating before it and its content go.
    var namespaceDeletionSeconds = 0.2
    /// uids of deleted objects whose dependents the garbage collector has yet to visit.
    var goneOwners: [String] = []
    /// uids of objects in foreground deletion (waiting for their dependents).
    var foregroundOwners = Set<String>()
    /// uids of objects deleted with propagationPolicy=Orphan (the `orphan` finalizer), whose dependents
    /// the garbage collector has yet to orphan.
    var orphaningOwners = Set<String>()
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
    func rebuildCatalog() {
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
}
