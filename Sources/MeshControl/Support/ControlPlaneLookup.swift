import KubeClient
import ObjectModel

/// Finding control planes by their labels, so meshes installed by upstream's CLI are found too.
package enum ControlPlaneLookup {
    /// The mesh's controller Deployment in `namespace`, or nil.
    package static func controller(client: any KubeAPI, meshName: String, namespace: String) throws -> JSONValue? {
        let items = try client.list(
            .deployments, namespace: namespace,
            labelSelector: "\(MeshConstants.appLabel)=\(MeshConstants.controllerName),\(MeshConstants.meshNameLabel)=\(meshName)")
        return items.first
    }

    package static func notFound(meshName: String, namespace: String) -> OSMError {
        OSMError(.meshNotFound, "No OSM control plane with mesh name [\(meshName)] found in namespace [\(namespace)]")
    }

    /// The tag of a Deployment's first container image (`v0.8.4` of `openservicemesh/osm-controller:v0.8.4`).
    package static func imageTag(of deployment: JSONValue) -> String {
        guard let image = deployment.templateContainers.first?.image else { return "" }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return "" }
        return String(lastComponent[lastComponent.index(after: colon)...])
    }
}
