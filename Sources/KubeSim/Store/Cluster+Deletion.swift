import Foundation
import NIOConcurrencyHelpers
import ObjectModel

/// Deletes: preconditions, finalizers, graceful pod deletion, propagation, collections.
extension Cluster {
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
    func gracefulPodDeletion(_ s: StoredObject, options: DeleteOptions, dryRun: Bool = false) -> JSONValue? {
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
}
