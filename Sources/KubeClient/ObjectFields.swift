import ObjectModel

/// Typed reads of the Kubernetes object fields osm uses, in one place, instead of string key
/// paths where a typo is a silent nil: `pod.metadata.name`, `ns.metadata.label(key)`,
/// `deployment.templateContainers.first?.image`, `configMap.data(key)`. A field that is absent
/// or not of its type reads as nil (or empty), as the key paths did.
extension JSONValue {
    public var kind: String? { self["kind"]?.stringValue }
    public var apiVersion: String? { self["apiVersion"]?.stringValue }
    public var metadata: ObjectMeta { ObjectMeta(json: self["metadata"]) }

    /// `status.phase` (a Pod's `Running`, a Namespace's `Terminating`...).
    public var phase: String? { self[path: "status", "phase"]?.stringValue }

    /// A Pod's containers (`spec.containers`).
    public var podContainers: [PodContainer] { PodContainer.list(self[path: "spec", "containers"]) }
    /// The containers of a workload's pod template (`spec.template.spec.containers`).
    public var templateContainers: [PodContainer] { PodContainer.list(self[path: "spec", "template", "spec", "containers"]) }

    /// One value of a ConfigMap's `data`.
    public func data(_ key: String) -> String? { self[path: "data", key]?.stringValue }

    /// A Deployment's `spec.replicas`.
    public var replicas: Int? { self[path: "spec", "replicas"]?.intValue }
    /// A Deployment's `status.availableReplicas`.
    public var availableReplicas: Int? { self[path: "status", "availableReplicas"]?.intValue }
    /// A Deployment's `status.observedGeneration`.
    public var observedGeneration: Int? { self[path: "status", "observedGeneration"]?.intValue }
    /// A Deployment's `spec.selector.matchLabels`.
    public var matchLabels: [String: String]? { self[path: "spec", "selector", "matchLabels"]?.stringMap }
    /// A Service's `spec.selector`.
    public var serviceSelector: [String: String]? { self[path: "spec", "selector"]?.stringMap }
    /// A Service's cluster IPs (`spec.clusterIP` and `spec.clusterIPs`), as given.
    public var clusterIPs: [String] {
        ([self[path: "spec", "clusterIP"]?.stringValue] + (self[path: "spec", "clusterIPs"]?.arrayValue ?? []).map(\.stringValue)).compactMap { $0 }
    }
    /// A Pod's `spec.serviceAccountName`.
    public var serviceAccountName: String? { self[path: "spec", "serviceAccountName"]?.stringValue }
    /// The `status.conditions` entry of a type (`Available`, `Ready`...).
    public func condition(_ type: String) -> Condition? {
        (self[path: "status", "conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == type }.map(Condition.init(json:))
    }
    /// A Pod's `status.containerStatuses`.
    public var containerStatuses: [ContainerStatus] {
        (self[path: "status", "containerStatuses"]?.arrayValue ?? []).map(ContainerStatus.init(json:))
    }
    /// An Event's `involvedObject.name`.
    public var involvedObjectName: String? { self[path: "involvedObject", "name"]?.stringValue }
}

/// A `status.conditions` entry.
public struct Condition: Sendable {
    public let json: JSONValue
    /// `True`, `False` or `Unknown`.
    public var status: String? { json["status"]?.stringValue }
    public var isTrue: Bool { status == "True" }
    public var reason: String? { json["reason"]?.stringValue }
    public var message: String? { json["message"]?.stringValue }
}

/// A Pod's `status.containerStatuses` entry.
public struct ContainerStatus: Sendable {
    public let json: JSONValue
    public var name: String? { json["name"]?.stringValue }
    public var image: String? { json["image"]?.stringValue }
    public var ready: Bool { json["ready"]?.boolValue == true }
    public var restartCount: Int { json["restartCount"]?.intValue ?? 0 }
    /// `state.waiting` (reason, message) when the container waits.
    public var waiting: (reason: String?, message: String?)? {
        json[path: "state", "waiting"].map { ($0["reason"]?.stringValue, $0["message"]?.stringValue) }
    }
    /// `state.terminated.reason` when the container has stopped.
    public var terminatedReason: String? { json[path: "state", "terminated", "reason"]?.stringValue }
    /// `lastState.terminated` (reason, exit code) of the previous run.
    public var lastTerminated: (reason: String?, exitCode: Int?)? {
        json[path: "lastState", "terminated"].map { ($0["reason"]?.stringValue, $0["exitCode"]?.intValue) }
    }
}

/// An object's `metadata`.
public struct ObjectMeta: Sendable {
    public let json: JSONValue?

    public var name: String? { json?["name"]?.stringValue }
    public var namespace: String? { json?["namespace"]?.stringValue }
    public var resourceVersion: String? { json?["resourceVersion"]?.stringValue }
    public var generation: Int? { json?["generation"]?.intValue }
    /// Set once the object is being deleted.
    public var deletionTimestamp: String? { json?["deletionTimestamp"]?.stringValue }

    /// One label's value; nil when the label is absent.
    public func label(_ key: String) -> String? { json?[path: "labels", key]?.stringValue }
    /// One annotation's value; nil when the annotation is absent.
    public func annotation(_ key: String) -> String? { json?[path: "annotations", key]?.stringValue }
    public var labels: [String: String] { json?["labels"]?.stringMap ?? [:] }
    public var annotations: [String: String] { json?["annotations"]?.stringMap ?? [:] }
}

/// A container of a pod spec.
public struct PodContainer: Sendable {
    public let json: JSONValue

    public var name: String? { json["name"]?.stringValue }
    public var image: String? { json["image"]?.stringValue }

    static func list(_ value: JSONValue?) -> [PodContainer] {
        (value?.arrayValue ?? []).map(PodContainer.init(json:))
    }
}
