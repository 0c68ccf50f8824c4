import ObjectModel

/// Deleting a CustomResourceDefinition as 1.20's apiextensions-apiserver does (from knowledge of the
/// v1.20 sources): the DELETE only marks it (pkg/registry/customresourcedefinition/etcd.go REST.Delete:
/// deletionTimestamp, the `customresourcecleanup.apiextensions.k8s.io` finalizer, a Terminating
/// condition `InstanceDeletionPending`) and answers the CRD; the finalizer controller
/// (pkg/controller/finalizer/crd_finalizer.go) then deletes every instance, waits until none is left,
/// and removes its finalizer, and the CRD goes. Meanwhile creates of its resources are refused
/// (pkg/apiserver/customresource_handler.go: 405 `create not allowed while custom resource definition
/// is terminating`).
extension Cluster {
    static let crdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    func crdDeletionLocked(_ t: ResourceType, _ crd: JSONValue, dryRun: Bool) -> JSONValue {
        var v = crd
        v["metadata"]?["deletionTimestamp"] = .string(RFC3339.now())
        var finalizers = v[path: "metadata", "finalizers"]?.arrayValue ?? []
        if !finalizers.contains(.string(Self.crdCleanupFinalizer)) { finalizers.append(.string(Self.crdCleanupFinalizer)) }
        v["metadata"]?["finalizers"] = .array(finalizers)
        Self.setCRDCondition(&v, type: "Terminating", status: "True", reason: "InstanceDeletionPending",
                             message: "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon")
        if dryRun { return v }
        let stored = putLocked(t, v)
        terminatingCRDs.insert(crd[path: "metadata", "name"]?.stringValue ?? "")
        return stored.value
    }

    /// apiextensions' SetCRDCondition: a condition of the same type is replaced, its
    /// lastTransitionTime kept unless the status changes.
    static func setCRDCondition(_ crd: inout JSONValue, type: String, status: String, reason: String, message: String) {
        var conditions = crd[path: "status", "conditions"]?.arrayValue ?? []
        var c: JSONValue = ["type": .string(type), "status": .string(status), "lastTransitionTime": .string(RFC3339.now()),
                            "reason": .string(reason), "message": .string(message)]
        if let i = conditions.firstIndex(where: { $0["type"]?.stringValue == type }) {
            if conditions[i]["status"]?.stringValue == status { c["lastTransitionTime"] = conditions[i]["lastTransitionTime"] }
            conditions[i] = c
        } else {
            conditions.append(c)
        }
        if crd["status"] == nil { crd["status"] = [:] }
        crd["status"]?["conditions"] = .array(conditions)
    }

    /// The finalizer controller's pass over the CRDs being deleted.
    func finishCRDDeletionsLocked() {
        guard !terminatingCRDs.isEmpty,
              let crdType = catalog.preferred(group: "apiextensions.k8s.io", resource: "customresourcedefinitions") else { return }
        for name in terminatingCRDs {
            guard let crd = store.get(crdType.storageKey, nil, name) else {
                terminatingCRDs.remove(name)
                continue
            }
            var v = crd.value
            let types = ResourceCatalog.customTypes(v)
            var left = 0
            var seen = Set<String>()
            for ct in types where seen.insert(ct.storageKey).inserted {
                for o in store.list(ct.storageKey, namespace: nil) {
                    left += 1
                    if o.object.value[path: "metadata", "deletionTimestamp"] == nil {
                        _ = try? deleteLocked(ct, namespace: o.object.namespace.isEmpty ? nil : o.object.namespace,
                                              name: o.object.name, options: DeleteOptions(), dryRun: false)
                    }
                }
            }
            var remaining = 0
            seen = []
            for ct in types where seen.insert(ct.storageKey).inserted { remaining += store.list(ct.storageKey, namespace: nil).count }
            if remaining > 0 {
                let reason = left > 0 && v[path: "status", "conditions"]?.arrayValue?.contains(where: {
                    $0["type"] == "Terminating" && $0["reason"] == "InstanceDeletionPending"
                }) == true ? "InstanceDeletionInProgress" : "InstanceDeletionCheck"
                let message = reason == "InstanceDeletionInProgress" ? "CustomResource deletion is in progress"
                    : "could not confirm zero CustomResources remaining: timed out waiting for the condition"
                Self.setCRDCondition(&v, type: "Terminating", status: "True", reason: reason, message: message)
                if v != crd.value { putLocked(crdType, v) }
                continue
            }
            Self.setCRDCondition(&v, type: "Terminating", status: "False", reason: "InstanceDeletionCompleted",
                                 message: "removed all instances")
            let rest = (v[path: "metadata", "finalizers"]?.arrayValue ?? []).filter { $0.stringValue != Self.crdCleanupFinalizer }
            v["metadata"]?["finalizers"] = rest.isEmpty ? nil : .array(rest)
            terminatingCRDs.remove(name)
            if rest.isEmpty {
                removeLocked(crdType, nil, name)
            } else {
                putLocked(crdType, v)
            }
        }
    }

    /// The 405 a create of a custom resource gets while its CRD is terminating, or nil.
    func customResourceCreateRefusalLocked(_ t: ResourceType) -> StatusError? {
        guard !terminatingCRDs.isEmpty,
              let crdType = catalog.preferred(group: "apiextensions.k8s.io", resource: "customresourcedefinitions"),
              let crd = store.get(crdType.storageKey, nil, t.storageKey),
              crd.value[path: "status", "conditions"]?.arrayValue?.contains(where: {
                  $0["type"] == "Terminating" && $0["status"] == "True"
              }) == true else { return nil }
        return StatusError(code: 405, reason: "MethodNotAllowed",
                           message: "create not allowed while custom resource definition is terminating",
                           details: ["group": .string(t.group), "kind": .string(t.name)])
    }
}

extension StatusError {
    /// A delete whose preconditions do not hold, worded as 1.20 words it, or nil. Namespaces and CRDs
    /// check them in their own REST.Delete (pkg/registry/core/namespace/storage/storage.go,
    /// apiextensions' customresourcedefinition/etcd.go): `Precondition failed: UID in precondition: X,
    /// UID in object meta: Y` on the resource. Every other kind fails early in rest.BeforeDelete
    /// (staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go): `the UID in the precondition (X) does
    /// not match the UID in record (Y). The object might have been deleted and then recreated`, the
    /// Conflict naming the object's kind and group (`ConfigMap`, `Deployment.apps`).
    static func deletePreconditionFailed(_ t: ResourceType, _ name: String, options: Cluster.DeleteOptions,
                                         meta: JSONValue) -> StatusError? {
        let uid = meta["uid"]?.stringValue ?? ""
        let rv = meta["resourceVersion"]?.stringValue ?? ""
        let ownDelete = !t.custom && (t.kind == "Namespace" || t.kind == "CustomResourceDefinition")
        var why: String?
        if let want = options.uid, want != uid {
            why = ownDelete ? "Precondition failed: UID in precondition: \(want), UID in object meta: \(uid)"
                : "the UID in the precondition (\(want)) does not match the UID in record (\(uid)). The object might have been deleted and then recreated"
        } else if let want = options.resourceVersion, want != rv {
            why = ownDelete ? "Precondition failed: ResourceVersion in precondition: \(want), ResourceVersion in object meta: \(rv)"
                : "the ResourceVersion in the precondition (\(want)) does not match the ResourceVersion in record (\(rv)). The object might have been modified"
        }
        guard let why else { return nil }
        if ownDelete {
            return StatusError(code: 409, reason: "Conflict",
                               message: "Operation cannot be fulfilled on \(t.qualifiedName) \"\(name)\": \(why)",
                               details: details(name, t))
        }
        let resource = t.group.isEmpty ? t.kind : "\(t.kind).\(t.group)"
        var d: JSONObject = ["name": .string(name)]
        if !t.group.isEmpty { d["group"] = .string(t.group) }
        d["kind"] = .string(t.kind)
        return StatusError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(why)",
                           details: .object(d))
    }
}
