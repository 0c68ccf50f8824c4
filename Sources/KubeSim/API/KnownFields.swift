/// Top-level fields each kind declares, for `fieldValidation=Strict`.
enum KnownFields {
    static let common: Set<String> = ["apiVersion", "kind", "metadata"]
    static let byKind: [String: Set<String>] = [
        "Namespace": ["spec", "status"],
        "ConfigMap": ["data", "binaryData", "immutable"],
        "Secret": ["data", "stringData", "type", "immutable"],
        "ServiceAccount": ["secrets", "imagePullSecrets", "automountServiceAccountToken"],
        "Service": ["spec", "status"],
        "Pod": ["spec", "status"],
        "Event": [
            "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type",
            "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance",
        ],
        "Deployment": ["spec", "status"],
        "ReplicaSet": ["spec", "status"],
        "StatefulSet": ["spec", "status"],
        "DaemonSet": ["spec", "status"],
        "Job": ["spec", "status"],
        "ClusterRole": ["rules", "aggregationRule"],
        "Role": ["rules"],
        "ClusterRoleBinding": ["subjects", "roleRef"],
        "RoleBinding": ["subjects", "roleRef"],
        "MutatingWebhookConfiguration": ["webhooks"],
        "ValidatingWebhookConfiguration": ["webhooks"],
        "CustomResourceDefinition": ["spec", "status"],
        "Lease": ["spec"],
        "Node": ["spec", "status"],
        "Endpoints": ["subsets"],
    ]

    static func unknown(in object: [String], kind: String) -> [String] {
        guard let known = byKind[kind] else { return [] }
        return object.filter { !common.contains($0) && !known.contains($0) }
    }
}

