import ObjectModel

extension ObjectDefaults {
    /// The defaults of an update. kube-apiserver v1.20 defaults every object it decodes (the scheme's
    /// defaulting funcs run in the codec, k8s.io/apimachinery/pkg/runtime/serializer/versioning), so a PUT
    /// or the result of a patch gets `SetDefaults_*` as a create does: a Service port without
    /// `targetPort` or `protocol` gets them again (pkg/apis/core/v1/defaults.go SetDefaults_ServicePort).
    /// What `apply` does on create besides defaulting (the status a strategy's PrepareForCreate resets,
    /// a Namespace's finalizers, a Job's generated selector, a CRD's conditions) is left out: the
    /// update strategies keep the stored ones.
    static func applyOnUpdate(_ o: inout JSONValue, kind: String, version: String) {
        guard ["Service", "Secret", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Pod"].contains(kind) else { return }
        var defaulted = o
        apply(&defaulted, kind: kind, version: version)
        defaulted["status"] = o["status"]
        o = defaulted
    }
}
