import Foundation
import NIOConcurrencyHelpers
import ObjectModel

/// What runs after writes and on each tick: the controllers kube-sim plays.
extension Cluster {
    // MARK: - Controllers

    func afterWrite(_ t: ResourceType, namespace: String?, name: String, created: Bool) {
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
