import ObjectModel

/// What structured-merge-diff needs to know of a kind's schema: how each list merges (atomic, a set
/// of scalars, or associative by key fields) and which maps are atomic. kube-apiserver v1.20 reads this
/// from its OpenAPI (`x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`/`-map-keys`,
/// `x-kubernetes-map-type`, `+structType=atomic`); here it is the part of that schema the kinds kube-sim
/// serves use. Any other list is atomic, as a list without merge metadata is in 1.20.
/// Custom resources: lists atomic and maps granular, as 1.20 for a schema without list-type markers.
enum FieldSchema {
    enum ListType: Equatable {
        case atomic
        case set
        case map([String])
    }

    /// `fields` is the path of field names to the list, list items left out
    /// (`spec.template.spec.containers[*].ports` is `["spec", "template", "spec", "containers", "ports"]`).
    static func listType(_ fields: [String], kind: String, custom: Bool) -> ListType {
        guard let last = fields.last else { return .atomic }
        let parent = fields.count > 1 ? fields[fields.count - 2] : ""
        if parent == "metadata" {
            // ObjectMeta: finalizers patchStrategy merge (a set); ownerReferences merge key uid.
            if last == "finalizers" { return .set }
            if last == "ownerReferences" { return .map(["uid"]) }
        }
        if custom { return .atomic }
        let containerLists: Set<String> = ["containers", "initContainers", "ephemeralContainers"]
        if containerLists.contains(parent) {
            switch last {
            // core/v1 Container: ports listType=map keys containerPort,protocol; env, volumeMounts,
            // volumeDevices by merge key.
            case "ports": return .map(["containerPort", "protocol"])
            case "env": return .map(["name"])
            case "volumeMounts": return .map(["mountPath"])
            case "volumeDevices": return .map(["devicePath"])
            default: return .atomic
            }
        }
        switch last {
        case "containers", "initContainers", "ephemeralContainers":
            return parent == "spec" ? .map(["name"]) : .atomic
        case "volumes", "imagePullSecrets":
            return parent == "spec" ? .map(["name"]) : .atomic
        case "hostAliases":
            return parent == "spec" ? .map(["ip"]) : .atomic
        case "topologySpreadConstraints":
            return parent == "spec" ? .map(["topologyKey", "whenUnsatisfiable"]) : .atomic
        case "ports" where kind == "Service" && fields == ["spec", "ports"]:
            // ServiceSpec.ports: listType=map, keys port,protocol.
            return .map(["port", "protocol"])
        case "conditions" where parent == "status":
            return .map(["type"])
        case "secrets" where kind == "ServiceAccount" && fields.count == 1:
            return .map(["name"])
        case "webhooks" where kind.hasSuffix("WebhookConfiguration") && fields.count == 1:
            return .map(["name"])
        default:
            return .atomic
        }
    }

    /// Maps replaced as a whole: label selectors of the workload kinds (LabelSelector is
    /// `+structType=atomic` in 1.20's apimachinery).
    static func isAtomicMap(_ fields: [String], kind: String, custom: Bool) -> Bool {
        guard !custom else { return false }
        return fields == ["spec", "selector"]
            && ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"].contains(kind)
    }

    /// Key fields with a default the key takes when the item leaves them out (`protocol: TCP`).
    static func keyDefault(_ field: String) -> JSONValue? {
        field == "protocol" ? "TCP" : nil
    }

    /// `k:{"containerPort":80,"protocol":"TCP"}`: the key fields, sorted, as JSON.
    static func keyElement(_ item: JSONValue, keys: [String]) -> String {
        var o = JSONObject()
        for k in keys.sorted() {
            if let v = item[k], v != .null { o[k] = v } else if let d = keyDefault(k) { o[k] = d }
        }
        return "k:" + JSONValue.object(o).jsonString()
    }

    static func valueElement(_ item: JSONValue) -> String { "v:" + item.jsonString() }
}
