import ObjectModel

/// The rest of 1.20's bootstrap ClusterRoles and their bindings: the system roles of
/// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (ClusterRoles, ClusterRoleBindings) and
/// the controller roles of controller_policy.go (`system:controller:*`, bound to their service
/// accounts in kube-system). Written from knowledge of the v1.20 sources (the kubernetes repository is
/// too large to fetch here); rules are as close to them as remembered, so `kubectl get clusterroles`
/// lists what a 1.20 cluster lists and `kubectl auth can-i` answers for users bound to them.
extension BootstrapPolicy {
    /// One PolicyRule: comma-separated verbs, API groups and resources (and resourceNames).
    private static func r(_ verbs: String, _ groups: String, _ resources: String, names: String? = nil) -> JSONValue {
        func list(_ s: String) -> JSONValue { JSONValue(s.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) }
        var o: JSONObject = ["verbs": list(verbs), "apiGroups": list(groups), "resources": list(resources)]
        if let names { o["resourceNames"] = list(names) }
        return .object(o)
    }

    private static func urls(_ verbs: String, _ urls: String) -> JSONValue {
        ["verbs": JSONValue(verbs.split(separator: ",").map(String.init)), "nonResourceURLs": JSONValue(urls.split(separator: ",").map(String.init))]
    }

    private static func role(_ name: String, _ rules: [JSONValue]) -> JSONValue {
        ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
         "metadata": ["name": .string(name), "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"],
                      "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"]],
         "rules": .array(rules)]
    }

    private static func bindingTo(_ name: String, role: String, subjects: [JSONValue]) -> JSONValue {
        var b: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": ["name": .string(name), "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"],
                         "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"]],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(role)]]
        if !subjects.isEmpty { b["subjects"] = .array(subjects) }
        return b
    }

    private static func user(_ n: String) -> JSONValue { ["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": .string(n)] }
    private static func group(_ n: String) -> JSONValue { ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string(n)] }
    private static func serviceAccount(_ n: String) -> JSONValue { ["kind": "ServiceAccount", "name": .string(n), "namespace": "kube-system"] }

    private static let read = "get,list,watch"
    private static let events = r("create,patch,update", ",events.k8s.io", "events")

    static let systemClusterRoles: [JSONValue] = [
        role("system:heapster", [r(read, "", "events,namespaces,nodes,pods"), r(read, "extensions", "deployments")]),
        role("system:node", [
            r("create", "authentication.k8s.io", "tokenreviews"),
            r("create", "authorization.k8s.io", "localsubjectaccessreviews,subjectaccessreviews"),
            r(read, "", "services"),
            r("create,get,list,watch", "", "nodes"),
            r("patch,update", "", "nodes/status"),
            r("patch,update", "", "nodes"),
            r("create,patch,update", ",events.k8s.io", "events"),
            r(read, "", "pods"),
            r("create,delete", "", "pods"),
            r("patch,update", "", "pods/status"),
            r("create", "", "pods/eviction"),
            r("get", "", "configmaps,secrets"),
            r("get", "", "persistentvolumeclaims,persistentvolumes"),
            r("get", "", "endpoints"),
            r("create,get,list,watch", "certificates.k8s.io", "certificatesigningrequests"),
            r("create,delete,get,patch,update", "coordination.k8s.io", "leases"),
            r("get", "storage.k8s.io", "volumeattachments"),
            r("create", "", "serviceaccounts/token"),
            r("get,patch,update", "", "persistentvolumeclaims/status"),
            r(read, "storage.k8s.io", "csidrivers"),
            r("create,delete,get,patch,update", "storage.k8s.io", "csinodes"),
            r(read, "node.k8s.io", "runtimeclasses"),
        ]),
        role("system:node-problem-detector", [r("get", "", "nodes"), r("patch", "", "nodes/status"), events]),
        role("system:kubelet-api-admin", [
            r(read, "", "nodes"), r("proxy", "", "nodes"), r("*", "", "nodes/log,nodes/metrics,nodes/proxy,nodes/spec,nodes/stats"),
        ]),
        role("system:node-bootstrapper", [r("create,get,list,watch", "certificates.k8s.io", "certificatesigningrequests")]),
        role("system:auth-delegator", [
            r("create", "authentication.k8s.io", "tokenreviews"), r("create", "authorization.k8s.io", "subjectaccessreviews"),
        ]),
        role("system:kube-aggregator", [r(read, "", "endpoints,services")]),
        role("system:kube-controller-manager", [
            events,
            r("create", "coordination.k8s.io", "leases"),
            r("get,update", "coordination.k8s.io", "leases", names: "kube-controller-manager"),
            r("create", "", "endpoints"),
            r("get,update", "", "endpoints", names: "kube-controller-manager"),
            r("create", "", "secrets,serviceaccounts"),
            r("delete", "", "secrets"),
            r("get", "", "namespaces,secrets,serviceaccounts"),
            r("update", "", "secrets,serviceaccounts"),
            r("create", "authentication.k8s.io", "tokenreviews"),
            r("create", "authorization.k8s.io", "subjectaccessreviews"),
            r("list,watch", "*", "*"),
            r("create", "", "serviceaccounts/token"),
        ]),
        role("system:kube-dns", [r("list,watch", "", "endpoints,services")]),
        role("system:persistent-volume-provisioner", [
            r("create,delete,get,list,watch", "", "persistentvolumes"),
            r("get,list,update,watch", "", "persistentvolumeclaims"),
            r(read, "storage.k8s.io", "storageclasses"),
            r("watch", "", "events"),
            events,
        ]),
        role("system:certificates.k8s.io:certificatesigningrequests:nodeclient", [
            r("create", "certificates.k8s.io", "certificatesigningrequests/nodeclient"),
        ]),
        role("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", [
            r("create", "certificates.k8s.io", "certificatesigningrequests/selfnodeclient"),
        ]),
        role("system:volume-scheduler", [
            r("get,list,patch,update,watch", "", "persistentvolumes"),
            r(read, "storage.k8s.io", "storageclasses"),
            r("get,list,patch,update,watch", "", "persistentvolumeclaims"),
        ]),
        role("system:certificates.k8s.io:legacy-unknown-approver", [
            r("approve", "certificates.k8s.io", "signers", names: "kubernetes.io/legacy-unknown"),
        ]),
        role("system:certificates.k8s.io:kubelet-serving-approver", [
            r("approve", "certificates.k8s.io", "signers", names: "kubernetes.io/kubelet-serving"),
        ]),
        role("system:certificates.k8s.io:kube-apiserver-client-approver", [
            r("approve", "certificates.k8s.io", "signers", names: "kubernetes.io/kube-apiserver-client"),
        ]),
        role("system:certificates.k8s.io:kube-apiserver-client-kubelet-approver", [
            r("approve", "certificates.k8s.io", "signers", names: "kubernetes.io/kube-apiserver-client-kubelet"),
        ]),
        role("system:service-account-issuer-discovery", [urls("get", "/.well-known/openid-configuration,/openid/v1/jwks")]),
        role("system:kube-scheduler", [
            events,
            r("create", "coordination.k8s.io", "leases"),
            r("get,update", "coordination.k8s.io", "leases", names: "kube-scheduler"),
            r("create", "", "endpoints"),
            r("get,update", "", "endpoints", names: "kube-scheduler"),
            r(read, "", "nodes"),
            r("delete,get,list,watch", "", "pods"),
            r("create", "", "bindings,pods/binding"),
            r("patch,update", "", "pods/status"),
            r(read, "", "replicationcontrollers,services"),
            r(read, "apps,extensions", "replicasets"),
            r(read, "apps", "statefulsets"),
            r(read, "policy", "poddisruptionbudgets"),
            r(read, "", "persistentvolumeclaims,persistentvolumes"),
            r("create", "authentication.k8s.io", "tokenreviews"),
            r("create", "authorization.k8s.io", "subjectaccessreviews"),
            r(read, "storage.k8s.io", "csinodes"),
        ]),
        role("system:node-proxier", [
            r("list,watch", "", "endpoints,services"),
            r("get,list,watch", "", "nodes"),
            events,
            r("list,watch", "discovery.k8s.io", "endpointslices"),
        ]),
        role("system:monitoring", [urls("get", "/healthz,/healthz/*,/livez,/livez/*,/metrics,/readyz,/readyz/*")]),
    ]

    /// controller_policy.go's roles, `system:controller:<name>`.
    static let controllerRoleRules: [(String, [JSONValue])] = [
        ("attachdetach-controller", [
            r("list,watch", "", "persistentvolumeclaims,persistentvolumes"), r("get,list,watch", "", "nodes"),
            r("patch,update", "", "nodes/status"), r("list,watch", "", "pods"), events,
            r("create,delete,get,list,watch", "storage.k8s.io", "volumeattachments"),
            r("get,list,watch", "storage.k8s.io", "csidrivers"), r("get,list,watch", "storage.k8s.io", "csinodes"),
        ]),
        ("certificate-controller", [
            r("delete,get,list,watch", "certificates.k8s.io", "certificatesigningrequests"),
            r("update", "certificates.k8s.io", "certificatesigningrequests/approval,certificatesigningrequests/status"),
            r("approve", "certificates.k8s.io", "signers", names: "kubernetes.io/kube-apiserver-client-kubelet"),
            r("approve", "certificates.k8s.io", "signers", names: "kubernetes.io/kubelet-serving"),
            r("sign", "certificates.k8s.io", "signers", names: "kubernetes.io/kube-apiserver-client,kubernetes.io/kube-apiserver-client-kubelet,kubernetes.io/kubelet-serving,kubernetes.io/legacy-unknown"),
            r("create", "authorization.k8s.io", "subjectaccessreviews"), events,
        ]),
        ("clusterrole-aggregation-controller", [r("escalate,get,list,patch,update,watch", "rbac.authorization.k8s.io", "clusterroles")]),
        ("cronjob-controller", [
            r("get,list,update,watch", "batch", "cronjobs"), r("create,delete,get,list,patch,update,watch", "batch", "jobs"),
            r("update", "batch", "cronjobs/status"), r("update", "batch", "cronjobs/finalizers"),
            r("delete,list", "", "pods"), events,
        ]),
        ("daemon-set-controller", [
            r("get,list,watch", "apps,extensions", "daemonsets"), r("update", "apps,extensions", "daemonsets/status"),
            r("update", "apps,extensions", "daemonsets/finalizers"), r("list,watch", "", "nodes"),
            r("create,delete,list,patch,watch", "", "pods"), r("create", "", "pods/binding"),
            r("create,delete,list,patch,update,watch", "apps", "controllerrevisions"), events,
        ]),
        ("deployment-controller", [
            r("get,list,update,watch", "apps,extensions", "deployments"),
            r("update", "apps,extensions", "deployments/status"), r("update", "apps,extensions", "deployments/finalizers"),
            r("create,delete,get,list,patch,update,watch", "apps,extensions", "replicasets"),
            r("get,list,update,watch", "", "pods"), events,
        ]),
        ("disruption-controller", [
            r("get,list,watch", "apps,extensions", "deployments"), r("get,list,watch", "apps,extensions", "replicasets"),
            r("get,list,watch", "", "replicationcontrollers"), r("get,list,watch", "policy", "poddisruptionbudgets"),
            r("get,list,watch", "apps", "statefulsets"), r("update", "policy", "poddisruptionbudgets/status"),
            r("get", "*", "*/scale"), events,
        ]),
        ("endpoint-controller", [
            r("get,list,watch", "", "pods,services"), r("create,delete,get,list,update", "", "endpoints"),
            r("create", "", "endpoints/restricted"), events,
        ]),
        ("endpointslice-controller", [
            r("get,list,watch", "", "nodes,pods,services"),
            r("create,delete,get,list,update", "discovery.k8s.io", "endpointslices"), events,
        ]),
        ("endpointslicemirroring-controller", [
            r("get,list,watch", "", "endpoints,services"), r("update", "", "services/finalizers"),
            r("update", "", "endpoints/finalizers"),
            r("create,delete,get,list,update", "discovery.k8s.io", "endpointslices"), events,
        ]),
        ("expand-controller", [
            r("get,list,patch,update,watch", "", "persistentvolumes"), r("patch,update", "", "persistentvolumeclaims/status"),
            r("get,list,watch", "", "persistentvolumeclaims"), r("get,list,watch", "storage.k8s.io", "storageclasses"),
            r("get", "", "endpoints,services"), r("get", "", "secrets"), events,
        ]),
        ("generic-garbage-collector", [r("delete,get,list,patch,update,watch", "*", "*")]),
        ("horizontal-pod-autoscaler", [
            r("get,list,watch", "autoscaling", "horizontalpodautoscalers"),
            r("update", "autoscaling", "horizontalpodautoscalers/status"), r("get,update", "*", "*/scale"),
            r("list", "", "pods"), r("get", "", "services/proxy", names: "http:heapster:,https:heapster:"),
            r("list", "metrics.k8s.io", "pods"), r("get,list", "custom.metrics.k8s.io", "*"),
            r("get,list", "external.metrics.k8s.io", "*"), events,
        ]),
        ("job-controller", [
            r("get,list,update,watch", "batch", "jobs"), r("update", "batch", "jobs/status"),
            r("update", "batch", "jobs/finalizers"), r("create,delete,list,patch,watch", "", "pods"), events,
        ]),
        ("namespace-controller", [
            r("delete,get,list,watch", "", "namespaces"), r("update", "", "namespaces/finalize,namespaces/status"),
            r("delete,deletecollection,get,list", "*", "*"),
        ]),
        ("node-controller", [
            r("delete,get,list,patch,update", "", "nodes"), r("patch,update", "", "nodes/status"),
            r("update", "", "pods/status"), r("delete,list", "", "pods"), events,
        ]),
        ("persistent-volume-binder", [
            r("create,delete,get,list,update,watch", "", "persistentvolumes"), r("update", "", "persistentvolumes/status"),
            r("get,list,update,watch", "", "persistentvolumeclaims"), r("update", "", "persistentvolumeclaims/status"),
            r("get,list,watch", "", "pods"), r("get,list,watch", "storage.k8s.io", "storageclasses"),
            r("create,delete,get", "", "endpoints"), r("create,delete,get", "", "services"), r("get", "", "secrets"),
            r("get,list", "", "nodes"), r("watch", "", "events"), events,
        ]),
        ("pod-garbage-collector", [r("delete,list,watch", "", "pods"), r("get,list", "", "nodes")]),
        ("pv-protection-controller", [r("get,list,update,watch", "", "persistentvolumes"), events]),
        ("pvc-protection-controller", [
            r("get,list,update,watch", "", "persistentvolumeclaims"), r("get,list,watch", "", "pods"), events,
        ]),
        ("replicaset-controller", [
            r("get,list,update,watch", "apps,extensions", "replicasets"),
            r("update", "apps,extensions", "replicasets/status"), r("update", "apps,extensions", "replicasets/finalizers"),
            r("create,delete,list,patch,watch", "", "pods"), events,
        ]),
        ("replication-controller", [
            r("get,list,update,watch", "", "replicationcontrollers"), r("update", "", "replicationcontrollers/status"),
            r("update", "", "replicationcontrollers/finalizers"), r("create,delete,list,patch,watch", "", "pods"), events,
        ]),
        ("resourcequota-controller", [
            r("list,watch", "*", "*"), r("update", "", "resourcequotas/status"), events,
        ]),
        ("root-ca-cert-publisher", [r("create,update", "", "configmaps"), events]),
        ("route-controller", [r("list,watch", "", "nodes"), r("patch", "", "nodes/status"), events]),
        ("service-account-controller", [r("create", "", "serviceaccounts"), events]),
        ("service-controller", [
            r("get,list,watch", "", "services"), r("patch,update", "", "services/status"),
            r("list,watch", "", "nodes"), events,
        ]),
        ("statefulset-controller", [
            r("list,watch", "", "pods"), r("get,list,watch", "apps", "statefulsets"),
            r("update", "apps", "statefulsets/status"), r("update", "apps", "statefulsets/finalizers"),
            r("create,delete,get,patch,update", "", "pods"),
            r("create,delete,get,list,patch,update,watch", "apps", "controllerrevisions"),
            r("create,get", "", "persistentvolumeclaims"), events,
        ]),
        ("ttl-controller", [r("list,patch,update,watch", "", "nodes"), events]),
    ]

    static let controllerClusterRoles: [JSONValue] = controllerRoleRules.map { role("system:controller:" + $0.0, $0.1) }

    static let systemClusterRoleBindings: [JSONValue] = [
        bindingTo("system:monitoring", role: "system:monitoring", subjects: [group("system:monitoring")]),
        bindingTo("system:node", role: "system:node", subjects: []),
        bindingTo("system:node-proxier", role: "system:node-proxier", subjects: [user("system:kube-proxy")]),
        bindingTo("system:kube-controller-manager", role: "system:kube-controller-manager",
                  subjects: [user("system:kube-controller-manager")]),
        bindingTo("system:kube-dns", role: "system:kube-dns", subjects: [serviceAccount("kube-dns")]),
        bindingTo("system:kube-scheduler", role: "system:kube-scheduler", subjects: [user("system:kube-scheduler")]),
        bindingTo("system:volume-scheduler", role: "system:volume-scheduler", subjects: [user("system:kube-scheduler")]),
        bindingTo("system:service-account-issuer-discovery", role: "system:service-account-issuer-discovery",
                  subjects: [group("system:serviceaccounts")]),
    ] + controllerRoleRules.map { bindingTo("system:controller:" + $0.0, role: "system:controller:" + $0.0, subjects: [serviceAccount($0.0)]) }
}
