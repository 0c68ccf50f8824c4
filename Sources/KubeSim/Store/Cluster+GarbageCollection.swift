import Foundation
import NIOConcurrencyHelpers
import ObjectModel

/// The garbage collector: ownerReferences, orphaning, foreground and background propagation.
extension Cluster {
    // MARK: - Garbage collection

    /// Every object (any kind) whose ownerReferences name `uid`.
    func dependents(of uid: String) -> [(ResourceType, StoredObject)] {
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

    func withoutOwner(_ v: JSONValue, _ uid: String) -> JSONValue {
        var v = v
        let refs = v[path: "metadata", "ownerReferences"]?.arrayValue?.filter { $0["uid"]?.stringValue != uid } ?? []
        v["metadata"]?["ownerReferences"] = refs.isEmpty ? nil : .array(refs)
        return v
    }

    /// propagationPolicy=Orphan: dependents lose their reference to the owner and stay.
    func orphanDependents(of uid: String) {
        for (t, o) in dependents(of: uid) { putLocked(t, withoutOwner(o.value, uid)) }
    }

    /// The garbage collector's part: dependents of owners that are gone are deleted (in the
    /// background, on the next tick) unless another owner still exists; owners in foreground
    /// deletion go once their dependents have.
    func collectGarbage() {
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

    func objectWithUID(_ uid: String) -> (ResourceType, StoredObject)? {
        var seen = Set<String>()
        for t in catalog.all where seen.insert(t.storageKey).inserted {
            for o in store.values(t.storageKey) where o.value[path: "metadata", "uid"]?.stringValue == uid { return (t, o) }
        }
        return nil
    }
}
