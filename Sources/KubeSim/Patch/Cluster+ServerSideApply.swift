import Foundation
import ObjectModel
import YAMLCodec

extension Cluster {
    /// Server-side apply (PATCH with `application/apply-patch+yaml`), as kube-apiserver v1.20's
    /// applyPatcher (k8s.io/apiserver/pkg/endpoints/handlers/patch.go) over fieldmanager's
    /// structuredMergeManager.Apply and structured-merge-diff v4's merge.Updater.Apply (written from
    /// those sources as 1.20 vendors them): the applied configuration is merged into the live object,
    /// what `manager` applied before and applies no more is removed unless another manager owns it,
    /// a changed field another manager owns is a 409 conflict unless `force`, and a missing object is
    /// created (201). Returns the object and whether it was created.
    func apply(_ t: ResourceType, namespace: String?, name: String, config: JSONValue, manager: String, force: Bool,
               scope: UpdateScope = .main, strict: Bool, dryRun: Bool) throws(StatusError) -> (StoredObject, created: Bool)
    {
        guard case .object = config else {
            throw StatusError.badRequest("error decoding YAML: the applied configuration is not an object")
        }
        // structuredMergeManager.Apply: the patch's version must be the request's.
        let version = config["apiVersion"]?.stringValue ?? ""
        if version != t.groupVersion {
            throw StatusError.badRequest("Incorrect version specified in apply patch. Specified patch version: \(version), expected: \(t.groupVersion)")
        }
        // FieldManager.Apply: an applier may not send managedFields.
        if let mf = config[path: "metadata", "managedFields"], mf != .null {
            throw StatusError.badRequest("metadata.managedFields must be nil")
        }
        if let n = config[path: "metadata", "name"]?.stringValue, n != name {
            throw StatusError.badRequest("the name of the object (\(n)) does not match the name on the URL (\(name))")
        }
        return try locked { () throws(StatusError) -> (StoredObject, created: Bool) in
            let applied = try checkBody(t, config, strict: strict)
            let appliedSet = ManagedFields.fieldSet(ManagedFields.stripped(applied, ignoreStatus: false), kind: t.kind, custom: t.custom)
            let now = RFC3339.now()
            guard let live = store.get(t.storageKey, namespace, name) else {
                // A subresource is never created by an apply (the status REST's Update does not create).
                if scope != .main { throw StatusError.notFound(t, name) }
                var body = applied
                if body["metadata"] == nil { body["metadata"] = [:] }
                body["metadata"]?["name"] = .string(name)
                ManagedFields.setEntries(&body, [ManagedFieldsEntry(manager: manager, operation: ManagedFieldsEntry.apply,
                                                                    apiVersion: t.groupVersion, time: now, set: appliedSet)])
                return (try createLocked(t, namespace: namespace, body: body, strict: strict, dryRun: dryRun), true)
            }
            if let rv = applied[path: "metadata", "resourceVersion"]?.stringValue, !rv.isEmpty,
               rv != live.value[path: "metadata", "resourceVersion"]?.stringValue {
                throw StatusError.conflict(t, name)
            }
            var entries = ManagedFields.decode(live.value[path: "metadata", "managedFields"]) ?? []
            let mineID = ManagedFieldsEntry(manager: manager, operation: ManagedFieldsEntry.apply, apiVersion: t.groupVersion,
                                            set: FieldSet()).id
            let lastSet = entries.first { $0.id == mineID }?.set ?? FieldSet()
            entries.removeAll { $0.id == mineID }

            var liveValue = live.value
            ManagedFields.setEntries(&liveValue, [])
            var merged = ManagedFields.merge(liveValue, applied, kind: t.kind, custom: t.custom)
            // Updater.prune: what the applier owned before and applies no more goes, unless someone owns it.
            let owned = entries.reduce(appliedSet) { $0.union($1.set) }
            for p in lastSet.subtracting(owned).paths.sorted(by: { $0.count < $1.count })
            where !owned.hasMember(atOrUnder: p) {
                ManagedFields.remove(p, from: &merged)
            }
            // The merged object is decoded, so defaulted, before it is compared.
            if !t.custom {
                if t.kind == "Service" { ServiceAllocation.defaults(&merged) }
                ObjectDefaults.applyOnUpdate(&merged, kind: t.kind, version: t.version)
                if ObjectDefaults.templateKinds.contains(t.kind) { ObjectDefaults.defaultTemplate(&merged) }
                ObjectDefaults.defaultSubjects(&merged, kind: t.kind)
            }
            let ignoreStatus = scope == .main && t.kind != "Namespace"
            let c = ManagedFields.compare(ManagedFields.stripped(liveValue, ignoreStatus: ignoreStatus),
                                          ManagedFields.stripped(merged, ignoreStatus: ignoreStatus), kind: t.kind, custom: t.custom)
            // Updater.update: a field the apply changes that another manager owns is a conflict.
            let changed = c.changed
            let conflicts = entries.compactMap { e -> (ManagedFieldsEntry, FieldSet)? in
                let s = e.set.intersection(changed)
                return s.isEmpty ? nil : (e, s)
            }
            if !conflicts.isEmpty && !force { throw ManagedFields.conflictError(conflicts) }
            if !force && c.isSame && lastSet == appliedSet { return (live, false) }
            for i in entries.indices { entries[i].set = entries[i].set.subtracting(changed).subtracting(c.removed) }
            entries.removeAll { $0.set.isEmpty }
            entries.append(ManagedFieldsEntry(manager: manager, operation: ManagedFieldsEntry.apply, apiVersion: t.groupVersion,
                                              time: now, set: appliedSet))
            ManagedFields.capUpdaters(&entries)
            ManagedFields.setEntries(&merged, entries)
            let checked = try checkBody(t, merged, strict: false)
            return (try replaceLocked(t, namespace: namespace, name: name, old: live, new: checked, scope: scope, dryRun: dryRun), false)
        }
    }
}
