import YAML

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
}

/// An object's `metadata`.
public struct ObjectMeta: Sendable {
    public let json: JSONValue?

    public var name: String? { json?["name"]?.stringValue }
    public var namespace: String? { json?["namespace"]?.stringValue }
    public var resourceVersion: String? { json?["resourceVersion"]?.stringValue }
    public var generation: Int? { json?["generation"]?.intValue }

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
