/// A Kubernetes resource by group, version and plural name, with what a client needs to
/// build its paths.
public struct APIResource: Hashable, Sendable, CustomStringConvertible {
    public let group: String
    public let version: String
    /// The plural, lower-case name used in paths: `deployments`.
    public let resource: String
    public let kind: String
    public let namespaced: Bool

    public init(group: String, version: String, resource: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.resource = resource
        self.kind = kind
        self.namespaced = namespaced
    }

    /// `v1` for the core group, `apps/v1` otherwise: what `apiVersion` says.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `deployments.apps`, the way kubectl names a resource in messages.
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }

    public static let namespaces = core("namespaces", "Namespace", namespaced: false)
    public static let configMaps = core("configmaps", "ConfigMap")
    public static let secrets = core("secrets", "Secret")
    public static let serviceAccounts = core("serviceaccounts", "ServiceAccount")
    public static let services = core("services", "Service")
    public static let pods = core("pods", "Pod")
    public static let events = core("events", "Event")
    public static let endpoints = core("endpoints", "Endpoints")
    public static let persistentVolumeClaims = core("persistentvolumeclaims", "PersistentVolumeClaim")
    public static let deployments = APIResource(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true)
    public static let daemonSets = APIResource(group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", namespaced: true)
    public static let statefulSets = APIResource(group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true)
    public static let replicaSets = APIResource(group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true)
    public static let jobs = APIResource(group: "batch", version: "v1", resource: "jobs", kind: "Job", namespaced: true)
    public static let clusterRoles = rbac("clusterroles", "ClusterRole", namespaced: false)
    public static let clusterRoleBindings = rbac("clusterrolebindings", "ClusterRoleBinding", namespaced: false)
    public static let roles = rbac("roles", "Role", namespaced: true)
    public static let roleBindings = rbac("rolebindings", "RoleBinding", namespaced: true)
    public static let mutatingWebhookConfigurationsV1beta1 = APIResource(
        group: "admissionregistration.k8s.io", version: "v1beta1", resource: "mutatingwebhookconfigurations",
        kind: "MutatingWebhookConfiguration", namespaced: false)
    public static let validatingWebhookConfigurationsV1beta1 = APIResource(
        group: "admissionregistration.k8s.io", version: "v1beta1", resource: "validatingwebhookconfigurations",
        kind: "ValidatingWebhookConfiguration", namespaced: false)
    public static let mutatingWebhookConfigurationsV1 = APIResource(
        group: "admissionregistration.k8s.io", version: "v1", resource: "mutatingwebhookconfigurations",
        kind: "MutatingWebhookConfiguration", namespaced: false)
    public static let validatingWebhookConfigurationsV1 = APIResource(
        group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations",
        kind: "ValidatingWebhookConfiguration", namespaced: false)
    public static let customResourceDefinitionsV1beta1 = APIResource(
        group: "apiextensions.k8s.io", version: "v1beta1", resource: "customresourcedefinitions",
        kind: "CustomResourceDefinition", namespaced: false)
    public static let customResourceDefinitionsV1 = APIResource(
        group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions",
        kind: "CustomResourceDefinition", namespaced: false)

    /// Every resource this table knows, for `forObject`.
    public static let known: [APIResource] = [
        namespaces, configMaps, secrets, serviceAccounts, services, pods, events, endpoints, persistentVolumeClaims,
        deployments, daemonSets, statefulSets, replicaSets, jobs,
        clusterRoles, clusterRoleBindings, roles, roleBindings,
        mutatingWebhookConfigurationsV1beta1, validatingWebhookConfigurationsV1beta1,
        mutatingWebhookConfigurationsV1, validatingWebhookConfigurationsV1,
        customResourceDefinitionsV1beta1, customResourceDefinitionsV1,
        rbacBeta("clusterroles", "ClusterRole", namespaced: false),
        rbacBeta("clusterrolebindings", "ClusterRoleBinding", namespaced: false),
        rbacBeta("roles", "Role", namespaced: true),
        rbacBeta("rolebindings", "RoleBinding", namespaced: true),
        APIResource(group: "policy", version: "v1beta1", resource: "podsecuritypolicies", kind: "PodSecurityPolicy", namespaced: false),
        APIResource(group: "policy", version: "v1beta1", resource: "poddisruptionbudgets", kind: "PodDisruptionBudget", namespaced: true),
        APIResource(group: "autoscaling", version: "v1", resource: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", namespaced: true),
        APIResource(group: "autoscaling", version: "v2beta2", resource: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", namespaced: true),
        APIResource(group: "batch", version: "v1beta1", resource: "cronjobs", kind: "CronJob", namespaced: true),
        APIResource(group: "batch", version: "v1", resource: "cronjobs", kind: "CronJob", namespaced: true),
        APIResource(group: "networking.k8s.io", version: "v1", resource: "ingresses", kind: "Ingress", namespaced: true),
        APIResource(group: "networking.k8s.io", version: "v1beta1", resource: "ingresses", kind: "Ingress", namespaced: true),
        APIResource(group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses", kind: "PriorityClass", namespaced: false),
    ]

    /// The resource for an object's `apiVersion` and `kind`, from the table of kinds this client knows;
    /// custom resources of any group are found by a lower-cased plural guess only when listed here.
    public static func forObject(apiVersion: String, kind: String) -> APIResource? {
        known.first { $0.groupVersion == apiVersion && $0.kind == kind }
    }

    private static func core(_ resource: String, _ kind: String, namespaced: Bool = true) -> APIResource {
        APIResource(group: "", version: "v1", resource: resource, kind: kind, namespaced: namespaced)
    }
    private static func rbac(_ resource: String, _ kind: String, namespaced: Bool) -> APIResource {
        APIResource(group: "rbac.authorization.k8s.io", version: "v1", resource: resource, kind: kind, namespaced: namespaced)
    }
    private static func rbacBeta(_ resource: String, _ kind: String, namespaced: Bool) -> APIResource {
        APIResource(group: "rbac.authorization.k8s.io", version: "v1beta1", resource: resource, kind: kind, namespaced: namespaced)
    }
}
