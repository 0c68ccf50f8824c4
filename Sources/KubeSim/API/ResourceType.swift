/// A served resource in one group version: what discovery lists and the router resolves.
struct ResourceType: Sendable {
    let group: String
    let version: String
    /// Plural, lower case: the URL segment.
    let name: String
    let singular: String
    let kind: String
    let namespaced: Bool
    let shortNames: [String]
    let hasStatus: Bool
    /// Which name rule `create` enforces.
    let nameRule: NameRule
    /// Served because a CustomResourceDefinition asks for it.
    var custom = false
    /// What discovery says may be done with it.
    var verbs: [String] = ResourceType.verbs

    enum NameRule: Sendable { case dns1123Label, dns1123Subdomain, dns1035Label, pathSegment }

    /// Serves `/scale` (an `autoscaling/v1` Scale), as 1.20's apps/v1 Deployments and ReplicaSets do.
    var hasScale: Bool { !custom && group == "apps" && (name == "deployments" || name == "replicasets") }

    var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// Objects of all versions of one group resource share storage.
    var storageKey: String { group.isEmpty ? name : "\(name).\(group)" }
    /// `configmaps`, `deployments.apps`: how messages name the resource.
    var qualifiedName: String { storageKey }
    var listKind: String { kind + "List" }

    static let verbs: [String] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
}

