import ObjectModel

/// `osm-rbac.yaml`: the ClusterRole, ServiceAccount and ClusterRoleBinding of the control plane,
/// all named after the mesh (the release).
enum ControlPlaneRBAC {
    static func rule(_ groups: [String], _ resources: [String], _ verbs: [String]) -> JSONValue {
        ["apiGroups": JSONValue(groups), "resources": JSONValue(resources), "verbs": JSONValue(verbs)]
    }

    static func clusterRole(_ c: ChartContext) -> JSONValue {
        let watch = ["list", "get", "watch"]
        return [
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": c.clusterScoped(c.releaseName, labels: c.labels()),
            "rules": [
                rule(["apps"], ["daemonsets", "deployments", "replicasets", "statefulsets"], watch),
                rule(["networking.k8s.io"], ["ingresses"], watch),
                rule(["batch"], ["jobs"], watch),
                rule([""], ["endpoints", "namespaces", "pods", "services", "secrets", "configmaps", "serviceaccounts"], watch),
                // Port forwarding lets the controller fetch Envoy configuration for debugging.
                rule([""], ["pods", "pods/log", "pods/portforward"], ["get", "list", "create"]),
                rule([""], ["events"], ["create", "watch"]),
                rule([""], ["secrets", "configmaps"], ["create", "update"]),
                rule(
                    ["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
                    ["get", "list", "watch", "create", "update", "patch"]),
                rule(["split.smi-spec.io"], ["trafficsplits"], watch),
                rule(["access.smi-spec.io"], ["traffictargets"], watch),
                rule(["specs.smi-spec.io"], ["httproutegroups", "tcproutes"], watch),
                rule(["cert-manager.io"], ["certificaterequests"], ["list", "get", "watch", "create", "delete"]),
            ],
        ]
    }

    static func serviceAccount(_ c: ChartContext) -> JSONValue {
        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": c.namespaced(c.releaseName, labels: c.labels())]
    }

    static func clusterRoleBinding(_ c: ChartContext) -> JSONValue {
        binding(c, name: c.releaseName, serviceAccount: c.releaseName, labels: c.labels())
    }

    /// A ClusterRoleBinding of the ClusterRole `name` to a ServiceAccount in the control-plane namespace.
    static func binding(_ c: ChartContext, name: String, serviceAccount: String, labels: JSONValue) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": c.clusterScoped(name, labels: labels),
            "subjects": [["kind": "ServiceAccount", "name": .string(serviceAccount), "namespace": .string(c.namespace)]],
            "roleRef": ["kind": "ClusterRole", "name": .string(name), "apiGroup": "rbac.authorization.k8s.io"],
        ]
    }
}
