import ObjectModel

/// Which kinds keep `metadata.generation`, and which writes bump it, as the 1.20 registry strategies do.
extension Cluster {
    /// Kinds whose strategy's PrepareForCreate sets generation 1 (v1.20: pkg/registry/apps/*/strategy.go,
    /// batch/job, networking, policy, admissionregistration, apiextensions' CRD and custom resource
    /// strategies). Pods, Services, Namespaces, Leases and the rest have none.
    static let generationKinds: Set<String> = [
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "NetworkPolicy", "Ingress",
        "PodDisruptionBudget", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "CustomResourceDefinition",
    ]

    static func keepsGeneration(_ t: ResourceType) -> Bool { t.custom || generationKinds.contains(t.kind) }

    /// Whether an update bumps the generation (PrepareForUpdate, v1.20):
    /// - Deployment (pkg/registry/apps/deployment/strategy.go): a spec change or an annotation change,
    ///   "because annotations are copied from deployments to their replica sets".
    /// - webhook configurations (admissionregistration strategy): a change of `webhooks`.
    /// - custom resources (apiextensions-apiserver pkg/registry/customresource/strategy.go): any change
    ///   outside metadata and status.
    /// - the other kinds: a spec change.
    static func bumpsGeneration(_ t: ResourceType, _ new: JSONValue, _ old: JSONValue) -> Bool {
        if t.custom {
            var a = new, b = old
            for k in ["metadata", "status", "apiVersion", "kind"] { a[k] = nil; b[k] = nil }
            return a != b
        }
        switch t.kind {
        case "Deployment":
            return new["spec"] != old["spec"] || new[path: "metadata", "annotations"] != old[path: "metadata", "annotations"]
        case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration":
            return new["webhooks"] != old["webhooks"]
        default:
            return new["spec"] != old["spec"]
        }
    }
}

extension StatusError {
    /// A storage precondition that does not hold on update, as storeerr.InterpretUpdateError reports
    /// storage.NewInvalidObjError: 409 Conflict around the StorageError's text (apiserver/pkg/storage/errors.go
    /// StorageError.Error, code 4 = ErrCodeInvalidObj, the etcd key, ResourceVersion 0).
    static func storagePreconditionFailed(_ t: ResourceType, namespace: String?, name: String, _ what: String) -> StatusError {
        let key = etcdKey(t, namespace: namespace, name: name)
        return StatusError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(t.qualifiedName) \"\(name)\": StorageError: invalid object, Code: 4, Key: \(key), ResourceVersion: 0, AdditionalErrorMsg: \(what)",
                           details: details(name, t))
    }

    /// The etcd key kube-apiserver keeps an object under (the default `/registry` prefix; core and most
    /// built-in resources by resource name, Services under `services/specs`, custom resources and
    /// CRDs under their group).
    static func etcdKey(_ t: ResourceType, namespace: String?, name: String) -> String {
        var prefix: String
        if t.custom || t.group == "apiextensions.k8s.io" {
            prefix = "/registry/\(t.group)/\(t.name)"
        } else if t.name == "services" {
            prefix = "/registry/services/specs"
        } else if t.name == "deployments" || t.name == "replicasets" || t.name == "daemonsets" || t.name == "statefulsets" {
            prefix = "/registry/\(t.name)"
        } else {
            prefix = "/registry/\(t.name)"
        }
        if let namespace, !namespace.isEmpty, t.namespaced { prefix += "/" + namespace }
        return prefix + "/" + name
    }
}
