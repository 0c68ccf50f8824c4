import KubeClient
import ObjectModel

/// `osm namespace list`: the namespaces enrolled in a mesh (or in any mesh).
package struct NamespaceList: Sendable {
    package var meshName: String?

    package init(meshName: String? = nil) { self.meshName = meshName }

    package struct Entry: Sendable, Equatable {
        package var namespace: String
        package var mesh: String
        /// nil when the annotation is unset.
        package var sidecarInjection: String?
    }

    package func run(client: any KubeAPI) throws -> [Entry] {
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

    package var emptyMessage: String {
        if let meshName, !meshName.isEmpty { return "No namespaces in mesh [\(meshName)]" }
        return "No namespaces in any mesh"
    }
}
