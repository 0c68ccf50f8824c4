import ObjectModel

/// The roles and bindings a fresh cluster has (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac/
/// bootstrappolicy), for the resources kube-sim serves.
enum BootstrapPolicy {
    private static let read: JSONValue = ["get", "list", "watch"]
    private static let write: JSONValue = ["create", "delete", "deletecollection", "patch", "update"]
    private static let readWrite: JSONValue = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    private static func rule(_ verbs: JSONValue, _ groups: [String], _ resources: [String]) -> JSONValue {
        ["apiGroups": JSONValue(groups), "resources": JSONValue(resources), "verbs": verbs]
    }

    private static let viewRules: [JSONValue] = [
        rule(read, [""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                          "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services",
                          "services/status", "bindings", "events", "limitranges", "namespaces/status", "pods/log",
                          "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status",
                          "namespaces"]),
        rule(read, ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                              "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
                              "statefulsets", "statefulsets/scale", "statefulsets/status"]),
        rule(read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
        rule(read, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
        rule(read, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                                    "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
                                    "replicasets", "replicasets/scale", "replicasets/status",
                                    "replicationcontrollers/scale"]),
        rule(read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        rule(read, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
    ]

    private static let editRules: [JSONValue] = [
        rule(["create"], [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "services/proxy"]),
        rule(["get", "list", "watch"], [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
                                              "services/proxy"]),
        rule(["impersonate"], [""], ["serviceaccounts"]),
        rule(write, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
        rule(write, [""], ["configmaps", "endpoints", "persistentvolumeclaims", "replicationcontrollers",
                           "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"]),
        rule(write, ["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                               "replicasets/scale", "statefulsets", "statefulsets/scale"]),
        rule(write, ["autoscaling"], ["horizontalpodautoscalers"]),
        rule(write, ["batch"], ["cronjobs", "jobs"]),
        rule(write, ["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale",
                                     "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
                                     "replicationcontrollers/scale"]),
        rule(write, ["policy"], ["poddisruptionbudgets"]),
        rule(write, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
    ]

    private static let adminRules: [JSONValue] = [
        rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
        rule(readWrite, ["rbac.authorization.k8s.io"], ["rolebindings", "roles"]),
    ]

    private static func clusterRole(_ name: String, _ rules: [JSONValue], aggregateTo: [String] = [],
                                    aggregates: String? = nil) -> JSONValue {
        var labels: JSONObject = ["kubernetes.io/bootstrapping": "rbac-defaults"]
        for a in aggregateTo { labels["rbac.authorization.k8s.io/aggregate-to-\(a)"] = "true" }
        var role: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": ["name": .string(name), "labels": .object(labels),
                         "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"]],
            "rules": .array(rules)]
        if let aggregates {
            let selector: JSONObject = ["rbac.authorization.k8s.io/aggregate-to-\(aggregates)": "true"]
            role["aggregationRule"] = ["clusterRoleSelectors": [["matchLabels": .object(selector)]]]
        }
        return role
    }

    private static func binding(_ name: String, role: String, groups: [String]) -> JSONValue {
        ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
         "metadata": ["name": .string(name), "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"],
                      "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"]],
         "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(role)],
         "subjects": .array(groups.map { ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string($0)] })]
    }

    static let discoveryURLs: [String] = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                                          "/openapi/*", "/readyz", "/version", "/version/"]
    static let publicInfoURLs: [String] = ["/healthz", "/livez", "/readyz", "/version", "/version/"]

    static let clusterRoles: [JSONValue] = [
        clusterRole("cluster-admin", [
            rule(["*"], ["*"], ["*"]),
            ["nonResourceURLs": ["*"], "verbs": ["*"]],
        ]),
        // admin, edit and view gather their rules from the roles labelled aggregate-to-<them>,
        // as on a real cluster (the aggregation controller fills their rules in).
        clusterRole("admin", [], aggregates: "admin"),
        clusterRole("edit", [], aggregateTo: ["admin"], aggregates: "edit"),
        clusterRole("view", [], aggregateTo: ["edit"], aggregates: "view"),
        clusterRole("system:aggregate-to-admin", adminRules, aggregateTo: ["admin"]),
        clusterRole("system:aggregate-to-edit", editRules, aggregateTo: ["edit"]),
        clusterRole("system:aggregate-to-view", viewRules, aggregateTo: ["view"]),
        clusterRole("system:basic-user", [
            rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
        ]),
        clusterRole("system:discovery", [["nonResourceURLs": JSONValue(discoveryURLs), "verbs": ["get"]]]),
        clusterRole("system:public-info-viewer", [["nonResourceURLs": JSONValue(publicInfoURLs), "verbs": ["get"]]]),
    ] + systemClusterRoles + controllerClusterRoles

    static let clusterRoleBindings: [JSONValue] = [
        binding("cluster-admin", role: "cluster-admin", groups: ["system:masters"]),
        binding("system:basic-user", role: "system:basic-user", groups: ["system:authenticated"]),
        binding("system:discovery", role: "system:discovery", groups: ["system:authenticated"]),
        binding("system:public-info-viewer", role: "system:public-info-viewer",
                groups: ["system:authenticated", "system:unauthenticated"]),
    ] + systemClusterRoleBindings
}
