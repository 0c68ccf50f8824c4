import KubeClient
import ObjectModel

/// `osm namespace list`: the namespaces enrolled in a mesh (or in any mesh).
public struct NamespaceList: Sendable {
    public var meshName: String?

    public init(meshName: String? = nil) { self.meshName = meshName }

    public struct Entry: Sendable, Equatable {
        public var namespace: String
        public var mesh: String
        /// nil when the annotation is unset.
        public var sidecarInjection: String?
    }

    public func run(client: any KubeAPI) throws -> [Entry] {
        var selector = MeshConstants.monitoredByLabel
        if let meshName, !meshName.isEmpty {
            try MeshName.check(meshName)
            selector += "=\(meshName)"
        }
        let items: [JSONValue]
        do throws(KubeError) {
            items = try client.list(.namespaces, labelSelector: selector)
        } catch let e {
            throw OSMError("Could not list namespaces related to osm [\(meshName ?? "")]: \(e.message)", cause: e)
        }
        return items.map { ns in
            Entry(
                namespace: ns.metadata.name ?? "",
                mesh: ns.metadata.label(MeshConstants.monitoredByLabel) ?? "",
                sidecarInjection: ns.metadata.annotation(MeshConstants.sidecarInjectionAnnotation))
        }
    }

    public var emptyMessage: String {
        if let meshName, !meshName.isEmpty { return "No namespaces in mesh [\(meshName)]" }
        return "No namespaces in any mesh"
    }
}
