/// A Kubernetes resource by group, version and plural name, with what a client needs to
/// build its paths.
package struct APIResource: Hashable, Sendable, CustomStringConvertible {
    package let group: String
    package let version: String
    /// The plural, lower-case name used in paths: `deployments`.
    package let resource: String
    package let kind: String
    package let namespaced: Bool

    package init(group: String, version: String, resource: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.resource = resource
        self.kind = kind
        self.namespaced = namespaced
    }

    /// `v1` for the core group, `apps/v1` otherwise: what `apiVersion` says.
    package var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `deployments.apps`, the way kubectl names a resource in messages.
    package var description: String { group.isEmpty ? resource : "\(resource).\(group)" }

    package static let namespaces = core("namespaces", "Namespace", namespaced: false)
    package static let configMaps = core("configmaps", "ConfigMap")
    package static let secrets = core("secrets", "Secret")
    package static let serviceAccounts = core("serviceaccounts", "ServiceAccount")
    package static let services = core("services", "Service")
    package static let pods = core("pods", "Pod")
    package static let events = core("events", "Event")
    package static let endpoints = core("endpoints", "Endpoints")
    package static let persistentVolumeClaims = core("persistentvolumeclaims", "PersistentVolumeClaim")
    package static let deployments = APIResource(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true)
    package static let daemonSets = APIResource(group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", namespaced: true)
    package static let statefulSets = APIResource(group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true)
    package static let replicaSets = APIResource(group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true)
    package static let jobs = APIResource(group: "batch", version: "v1", resource: "jobs", kind: "Job", namespaced: true)
    package static let clusterRoles = rbac("clusterroles", "ClusterRole", namespaced: false)
    package static let clusterRoleBindings = rbac("clusterrolebindings", "ClusterRoleBinding", namespaced: false)
    package static let roles = rbac("roles", "Role", namespaced: true)
    package static let roleBindings = rbac("rolebindings", "RoleBinding", namespaced: true)
    package static let mutatingWebhookConfigurationsV1beta1 = APIResource(
        group: "admissionregistration.k8s.io", version: "v1beta1", resource: "mutatingwebhookconfigurations",
        kind: "MutatingWebhookConfiguration", namespaced: false)
    package static let validatingWebhookConfigurationsV1beta1 = APIResource(
        group: "admissionregistration.k8s.io", version: "v1beta1", resource: "validatingwebhookconfigurations",
        kind: "ValidatingWebhookConfiguration", namespaced: false)
    package static let mutatingWebhookConfigurationsV1 = APIResource(
        group: "admissionregistration.k8s.io", version: "v1", resource: "mutatingwebhookconfigurations",
        kind: "MutatingWebhookConfiguration", namespaced: false)
    package static let validatingWebhookConfigurationsV1 = APIResource(
        group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations",
        kind: "ValidatingWebhookConfiguration", namespaced: false)
    package static let customResourceDefinitionsV1beta1 = APIResource(
        group: "apiextensions.k8s.io", version: "v1beta1", resource: "customresourcedefinitions",
        kind: "CustomResourceDefinition", namespaced: false)
    package static let customResourceDefinitionsV1 = APIResource(
        group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions",
        kind: "CustomResourceDefinition", namespaced: false)

    /// Every resource this table knows, for `forObject`.
    package static let known: [APIResource] = [
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
    package static func forObject(apiVersion: String, kind: String) -> APIResource? {
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
