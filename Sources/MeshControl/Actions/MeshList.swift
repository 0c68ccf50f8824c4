import KubeClient
import ObjectModel

/// `osm mesh list`: every control plane in the cluster, found by its controller's labels.
package struct MeshList: Sendable {
    package init() {}

    package struct Entry: Sendable, Equatable {
        package var meshName: String
        package var namespace: String
        package var controllerPods: [String]
        package var version: String
    }

    package func run(client: any KubeAPI) throws -> [Entry] {
        let controllers: [JSONValue]
        do throws(KubeError) {
            controllers = try client.list(.deployments, labelSelector: "\(MeshConstants.appLabel)=\(MeshConstants.controllerName)")
        } catch let e {
            throw OSMError("Could not list deployments \(e.message)", cause: e)
        }
        let namespaces = controllers.map { $0.metadata.namespace ?? "" }
        // One request per namespace, however many controllers a namespace claims to have; all in one batch.
        var unique: [String] = []
        var index: [String: Int] = [:]
        for ns in namespaces where index[ns] == nil {
            index[ns] = unique.count
            unique.append(ns)
        }
        let podsByNamespace = client.send(unique.map {
            client.listRequest(.pods, namespace: $0, labelSelector: "\(MeshConstants.appLabel)=\(MeshConstants.controllerName)")
        }).map { $0.map { ($0.arrayValue ?? []).compactMap { $0.metadata.name } } }
        let pods = namespaces.map { podsByNamespace[index[$0]!] }
        var entries: [Entry] = []
        for (i, d) in controllers.enumerated() {
            // As upstream, a namespace whose pods cannot be listed shows none.
            let podNames = (try? pods[i].get()) ?? []
            entries.append(Entry(
                meshName: d.metadata.label(MeshConstants.meshNameLabel) ?? "",
                namespace: namespaces[i],
                controllerPods: podNames.sorted(),
                version: ControlPlaneLookup.imageTag(of: d)))
        }
        return entries
    }
}
