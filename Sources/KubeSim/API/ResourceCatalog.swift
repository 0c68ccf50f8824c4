import ObjectModel

/// The resources this server version serves, indexed for routing.
struct ResourceCatalog: Sendable {
    let all: [ResourceType]
    /// groupVersion -> resource name -> type
    private let byGroupVersion: [String: [String: ResourceType]]
    /// group -> versions, preferred first
    let groups: [(name: String, versions: [String])]

    init(minorVersion: Int, custom: [ResourceType] = []) {
        func r(_ group: String, _ version: String, _ name: String, _ singular: String, _ kind: String,
               namespaced: Bool = true, short: [String] = [], status: Bool = false,
               rule: ResourceType.NameRule = .dns1123Subdomain) -> ResourceType {
            ResourceType(group: group, version: version, name: name, singular: singular, kind: kind,
                         namespaced: namespaced, shortNames: short, hasStatus: status, nameRule: rule)
        }
        var list: [ResourceType] = [
            r("", "v1", "namespaces", "namespace", "Namespace", namespaced: false, short: ["ns"], status: true,
              rule: .dns1123Label),
            r("", "v1", "configmaps", "configmap", "ConfigMap", short: ["cm"]),
            r("", "v1", "secrets", "secret", "Secret"),
            r("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", short: ["sa"]),
            r("", "v1", "services", "service", "Service", short: ["svc"], status: true, rule: .dns1035Label),
            r("", "v1", "pods", "pod", "Pod", short: ["po"], status: true),
            r("", "v1", "events", "event", "Event", short: ["ev"]),
            r("", "v1", "endpoints", "endpoints", "Endpoints", short: ["ep"]),
            r("", "v1", "nodes", "node", "Node", namespaced: false, short: ["no"], status: true),
            r("apps", "v1", "deployments", "deployment", "Deployment", short: ["deploy"], status: true),
            r("apps", "v1", "replicasets", "replicaset", "ReplicaSet", short: ["rs"], status: true),
            r("apps", "v1", "statefulsets", "statefulset", "StatefulSet", short: ["sts"], status: true),
            r("apps", "v1", "daemonsets", "daemonset", "DaemonSet", short: ["ds"], status: true),
            r("batch", "v1", "jobs", "job", "Job", status: true),
        ]
        for v in ["v1"] + (minorVersion < 22 ? ["v1beta1"] : []) {
            list.append(r("rbac.authorization.k8s.io", v, "clusterroles", "clusterrole", "ClusterRole",
                          namespaced: false, rule: .pathSegment))
            list.append(r("rbac.authorization.k8s.io", v, "clusterrolebindings", "clusterrolebinding",
                          "ClusterRoleBinding", namespaced: false, rule: .pathSegment))
            list.append(r("rbac.authorization.k8s.io", v, "roles", "role", "Role", rule: .pathSegment))
            list.append(r("rbac.authorization.k8s.io", v, "rolebindings", "rolebinding", "RoleBinding",
                          rule: .pathSegment))
            list.append(r("admissionregistration.k8s.io", v, "mutatingwebhookconfigurations",
                          "mutatingwebhookconfiguration", "MutatingWebhookConfiguration", namespaced: false))
            list.append(r("admissionregistration.k8s.io", v, "validatingwebhookconfigurations",
                          "validatingwebhookconfiguration", "ValidatingWebhookConfiguration", namespaced: false))
            list.append(r("apiextensions.k8s.io", v, "customresourcedefinitions", "customresourcedefinition",
                          "CustomResourceDefinition", namespaced: false, short: ["crd", "crds"], status: true))
        }
        for v in ["v1"] + (minorVersion < 22 ? ["v1beta1"] : []) {
            list.append(r("coordination.k8s.io", v, "leases", "lease", "Lease"))
        }
        for v in ["v1"] + (minorVersion < 22 ? ["v1beta1"] : []) {
            var review = r("authorization.k8s.io", v, "selfsubjectaccessreviews", "", "SelfSubjectAccessReview",
                           namespaced: false)
            review.verbs = ["create"]
            list.append(review)
            var rules = r("authorization.k8s.io", v, "selfsubjectrulesreviews", "", "SelfSubjectRulesReview", namespaced: false)
            rules.verbs = ["create"]
            list.append(rules)
        }
        list += custom
        all = list
        var index: [String: [String: ResourceType]] = [:]
        var groupVersions: [(String, [String])] = []
        for t in list {
            index[t.groupVersion, default: [:]][t.name] = t
            if let i = groupVersions.firstIndex(where: { $0.0 == t.group }) {
                if !groupVersions[i].1.contains(t.version) { groupVersions[i].1.append(t.version) }
            } else {
                groupVersions.append((t.group, [t.version]))
            }
        }
        byGroupVersion = index
        groups = groupVersions.map { (name: $0.0, versions: $0.1) }
    }

    func lookup(groupVersion: String, resource: String) -> ResourceType? {
        byGroupVersion[groupVersion]?[resource]
    }

    func resources(groupVersion: String) -> [ResourceType]? {
        guard byGroupVersion[groupVersion] != nil else { return nil }
        return all.filter { $0.groupVersion == groupVersion }
    }

    /// The type of an object by its apiVersion and kind.
    func type(apiVersion: String, kind: String) -> ResourceType? {
        byGroupVersion[apiVersion]?.values.first { $0.kind == kind }
    }

    /// The resources a CustomResourceDefinition (v1 or v1beta1) asks to serve.
    static func customTypes(_ crd: JSONValue) -> [ResourceType] {
        guard let spec = crd["spec"], let group = spec["group"]?.stringValue,
              let plural = spec[path: "names", "plural"]?.stringValue, let kind = spec[path: "names", "kind"]?.stringValue
        else { return [] }
        var versions: [(String, Bool)] = (spec["versions"]?.arrayValue ?? []).compactMap { v in
            guard v["served"]?.boolValue != false, let name = v["name"]?.stringValue else { return nil }
            return (name, v[path: "subresources", "status"] != nil || spec[path: "subresources", "status"] != nil)
        }
        if versions.isEmpty, let v = spec["version"]?.stringValue { versions = [(v, spec[path: "subresources", "status"] != nil)] }
        return versions.map { v in
            var t = ResourceType(
                group: group, version: v.0, name: plural,
                singular: spec[path: "names", "singular"]?.stringValue ?? kind.lowercased(), kind: kind,
                namespaced: spec["scope"]?.stringValue != "Cluster",
                shortNames: spec[path: "names", "shortNames"]?.arrayValue?.compactMap { $0.stringValue } ?? [],
                hasStatus: v.1, nameRule: .dns1123Subdomain)
            t.custom = true
            return t
        }
    }

    /// Preferred-version type for a group resource.
    func preferred(group: String, resource: String) -> ResourceType? {
        all.first { $0.group == group && $0.name == resource }
    }
}
