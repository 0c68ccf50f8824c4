import ObjectModel

extension Cluster {
    /// Writes an Event about `object` as client-go's event recorder does (staging/src/k8s.io/client-go/
    /// tools/record/event.go makeEvent: name `<object>.<hex>`, count 1, first and last timestamps now).
    func recordEventLocked(about object: JSONValue, type: String = "Normal", reason: String, message: String,
                           component: String, host: String? = nil, fieldPath: String? = nil) {
        let ns = object[path: "metadata", "namespace"]?.stringValue ?? "default"
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        let now = JSONValue.string(RFC3339.now())
        var involved = JSONObject([
            "kind": object["kind"] ?? "", "namespace": .string(ns), "name": .string(name),
            "uid": object[path: "metadata", "uid"] ?? "", "apiVersion": object["apiVersion"] ?? "",
            "resourceVersion": object[path: "metadata", "resourceVersion"] ?? "",
        ])
        if let fieldPath {
            involved["resourceVersion"] = nil
            involved["fieldPath"] = .string(fieldPath)
        }
        var source = JSONObject(["component": .string(component)])
        if let host { source["host"] = .string(host) }
        putLocked(self.type("", "events"), [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(name).\(Identifiers.uid().replacingOccurrences(of: "-", with: "").prefix(16))"),
                         "namespace": .string(ns)],
            "involvedObject": .object(involved),
            "reason": .string(reason), "message": .string(message), "source": .object(source),
            "firstTimestamp": now, "lastTimestamp": now, "count": 1, "type": .string(type),
            "reportingComponent": "", "reportingInstance": "",
        ])
    }

    /// The objects of a kind in a namespace whose controller ownerReference is `uid`.
    func controlledLocked(_ t: ResourceType, namespace: String, by uid: String) -> [StoredObject] {
        store.list(t.storageKey, namespace: namespace).map(\.object).filter { Self.controllerUID($0.value) == uid }
    }

    /// What `owner` controls of a kind in a namespace, after adopting the objects with no controller that
    /// its selector matches (pkg/controller/controller_ref_manager.go ClaimReplicaSets: a ReplicaSet
    /// orphaned by a Deployment's `--cascade=orphan` deletion is adopted by the next one that matches).
    func claimLocked(_ t: ResourceType, namespace: String, owner: JSONValue) -> [StoredObject] {
        let uid = owner[path: "metadata", "uid"]?.stringValue ?? ""
        let matchLabels = owner[path: "spec", "selector", "matchLabels"]?.stringMap ?? [:]
        let expressions = owner[path: "spec", "selector", "matchExpressions"]?.arrayValue ?? []
        var claimed: [StoredObject] = []
        for o in store.list(t.storageKey, namespace: namespace).map(\.object) {
            if Self.controllerUID(o.value) == uid {
                claimed.append(o)
                continue
            }
            guard Self.controllerRef(o.value) == nil, o.value[path: "metadata", "deletionTimestamp"] == nil,
                  !(matchLabels.isEmpty && expressions.isEmpty),
                  LabelSelector.matches(matchLabels: matchLabels, expressions: expressions, labels: o.labels) else { continue }
            var v = o.value
            let ref: JSONValue = ["apiVersion": owner["apiVersion"] ?? "", "kind": owner["kind"] ?? "",
                                  "name": owner[path: "metadata", "name"] ?? "", "uid": .string(uid),
                                  "controller": true, "blockOwnerDeletion": true]
            let refs = (v[path: "metadata", "ownerReferences"]?.arrayValue ?? []) + [ref]
            v["metadata"]?["ownerReferences"] = .array(refs)
            claimed.append(putLocked(t, v))
        }
        return claimed
    }

    /// The uid of an object's controller (the ownerReference with `controller: true`).
    static func controllerUID(_ object: JSONValue) -> String? {
        controllerRef(object)?["uid"]?.stringValue
    }

    static func controllerRef(_ object: JSONValue) -> JSONValue? {
        object[path: "metadata", "ownerReferences"]?.arrayValue?.first { $0["controller"]?.boolValue == true }
    }
}
