import ObjectModel

/// Typed reads of the Kubernetes object fields osm uses, in one place, instead of string key
/// paths where a typo is a silent nil: `pod.metadata.name`, `ns.metadata.label(key)`,
/// `deployment.templateContainers.first?.image`, `configMap.data(key)`. A field that is absent
/// or not of its type reads as nil (or empty), as the key paths did.
extension JSONValue {
    package var kind: String? { self["kind"]?.stringValue }
    package var apiVersion: String? { self["apiVersion"]?.stringValue }
    package var metadata: ObjectMeta { ObjectMeta(json: self["metadata"]) }

    /// `status.phase` (a Pod's `Running`, a Namespace's `Terminating`...).
    package var phase: String? { self[path: "status", "phase"]?.stringValue }

    /// A Pod's containers (`spec.containers`).
    package var podContainers: [PodContainer] { PodContainer.list(self[path: "spec", "containers"]) }
    /// The containers of a workload's pod template (`spec.template.spec.containers`).
    package var templateContainers: [PodContainer] { PodContainer.list(self[path: "spec", "template", "spec", "containers"]) }

    /// One value of a ConfigMap's `data`.
    package func data(_ key: String) -> String? { self[path: "data", key]?.stringValue }

    /// A Deployment's `spec.replicas`.
    package var replicas: Int? { self[path: "spec", "replicas"]?.intValue }
    /// A Deployment's `status.availableReplicas`.
    package var availableReplicas: Int? { self[path: "status", "availableReplicas"]?.intValue }
    /// A Deployment's `status.observedGeneration`.
    package var observedGeneration: Int? { self[path: "status", "observedGeneration"]?.intValue }
    /// A Deployment's `spec.selector.matchLabels`.
    package var matchLabels: [String: String]? { self[path: "spec", "selector", "matchLabels"]?.stringMap }
    /// A Service's `spec.selector`.
    package var serviceSelector: [String: String]? { self[path: "spec", "selector"]?.stringMap }
    /// A Service's cluster IPs (`spec.clusterIP` and `spec.clusterIPs`), as given.
    package var clusterIPs: [String] {
        ([self[path: "spec", "clusterIP"]?.stringValue] + (self[path: "spec", "clusterIPs"]?.arrayValue ?? []).map(\.stringValue)).compactMap { $0 }
    }
    /// A Pod's `spec.serviceAccountName`.
    package var serviceAccountName: String? { self[path: "spec", "serviceAccountName"]?.stringValue }
    /// The `status.conditions` entry of a type (`Available`, `Ready`...).
    package func condition(_ type: String) -> Condition? {
        (self[path: "status", "conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == type }.map(Condition.init(json:))
    }
    /// A Pod's `status.containerStatuses`.
    package var containerStatuses: [ContainerStatus] {
        (self[path: "status", "containerStatuses"]?.arrayValue ?? []).map(ContainerStatus.init(json:))
    }
    /// An Event's `involvedObject.name`.
    package var involvedObjectName: String? { self[path: "involvedObject", "name"]?.stringValue }
}

/// A `status.conditions` entry.
package struct Condition: Sendable {
    package let json: JSONValue
    /// `True`, `False` or `Unknown`.
    package var status: String? { json["status"]?.stringValue }
    package var isTrue: Bool { status == "True" }
    package var reason: String? { json["reason"]?.stringValue }
    package var message: String? { json["message"]?.stringValue }
}

/// A Pod's `status.containerStatuses` entry.
package struct ContainerStatus: Sendable {
    package let json: JSONValue
    package var name: String? { json["name"]?.stringValue }
    package var image: String? { json["image"]?.stringValue }
    package var ready: Bool { json["ready"]?.boolValue == true }
    package var restartCount: Int { json["restartCount"]?.intValue ?? 0 }
    /// `state.waiting` (reason, message) when the container waits.
    package var waiting: (reason: String?, message: String?)? {
        json[path: "state", "waiting"].map { ($0["reason"]?.stringValue, $0["message"]?.stringValue) }
    }
    /// `state.terminated.reason` when the container has stopped.
    package var terminatedReason: String? { json[path: "state", "terminated", "reason"]?.stringValue }
    /// `lastState.terminated` (reason, exit code) of the previous run.
    package var lastTerminated: (reason: String?, exitCode: Int?)? {
        json[path: "lastState", "terminated"].map { ($0["reason"]?.stringValue, $0["exitCode"]?.intValue) }
    }
}

/// An object's `metadata`.
package struct ObjectMeta: Sendable {
    package let json: JSONValue?

    package var name: String? { json?["name"]?.stringValue }
    package var namespace: String? { json?["namespace"]?.stringValue }
    package var resourceVersion: String? { json?["resourceVersion"]?.stringValue }
    package var generation: Int? { json?["generation"]?.intValue }
    /// Set once the object is being deleted.
    package var deletionTimestamp: String? { json?["deletionTimestamp"]?.stringValue }

    /// One label's value; nil when the label is absent.
    package func label(_ key: String) -> String? { json?[path: "labels", key]?.stringValue }
    /// One annotation's value; nil when the annotation is absent.
    package func annotation(_ key: String) -> String? { json?[path: "annotations", key]?.stringValue }
    package var labels: [String: String] { json?["labels"]?.stringMap ?? [:] }
    package var annotations: [String: String] { json?["annotations"]?.stringMap ?? [:] }
}

/// A container of a pod spec.
package struct PodContainer: Sendable {
    package let json: JSONValue

    package var name: String? { json["name"]?.stringValue }
    package var image: String? { json["image"]?.stringValue }

    static func list(_ value: JSONValue?) -> [PodContainer] {
        (value?.arrayValue ?? []).map(PodContainer.init(json:))
    }
}
