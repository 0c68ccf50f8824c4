import Foundation
import NIOConcurrencyHelpers
import ObjectModel

/// Create, update, patch and the store writes under them: decoding, defaulting, validation,
/// admission, immutability and the hooks that follow a write.
extension Cluster {
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
    func customResourceSchemaLocked(_ t: ResourceType) -> JSONValue? {
        guard let crdType = catalog.preferred(group: "apiextensions.k8s.io", resource: "customresourcedefinitions"),
              let crd = store.get(crdType.storageKey, nil, t.storageKey) else { return nil }
        return StructuralPruning.schema(crd.value, version: t.version)
    }

    func requireNamespace(_ t: ResourceType, _ namespace: String?, name: String) throws(StatusError) {
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
    func reorder(_ v: JSONValue) -> JSONValue {
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

    static func isEmptyContainer(_ v: JSONValue?) -> Bool {
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
    func otherServices(_ t: ResourceType, _ namespace: String?, _ name: String) -> [JSONValue] {
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
}
