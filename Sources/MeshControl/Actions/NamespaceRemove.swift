import KubeClient
import ObjectModel

/// `osm namespace remove`: take a namespace out of the mesh it belongs to.
package struct NamespaceRemove: Sendable {
    package var namespace: String
    package var meshName: String

    package init(namespace: String, meshName: String = MeshConstants.defaultMeshName) {
        self.namespace = namespace
        self.meshName = meshName
    }

    package enum Outcome: Sendable, Equatable { case removed, notInAnyMesh }

    package func run(client: any KubeAPI) throws -> Outcome {
        if let problem = KubernetesNames.namespaceProblem(namespace) {
            throw OSMError(.invalidInput, "Could not get namespace [\(namespace)]: \(problem)")
        }
        let ns: JSONValue
        do throws(KubeError) {
            ns = try client.get(.namespaces, name: namespace)
        } catch let e {
            throw OSMError("Could not get namespace [\(namespace)]: \(e.message)", cause: e)
        }
        guard let owner = ns.metadata.label(MeshConstants.monitoredByLabel) else {
            return .notInAnyMesh
        }
        guard owner == meshName else {
            throw OSMError(.notInMesh, "Namespace belongs to mesh [\(owner)], not mesh [\(meshName)]. Please specify the correct mesh")
        }
        let patch: JSONValue = [
            "metadata": [
                "labels": [MeshConstants.monitoredByLabel: nil],
                "annotations": [MeshConstants.sidecarInjectionAnnotation: nil],
            ]
        ]
        do throws(KubeError) {
            _ = try client.patch(.namespaces, name: namespace, patch, type: .merge)
        } catch let e {
            throw OSMError("Could not remove namespace [\(namespace)] from mesh [\(meshName)]: \(e.message)", cause: e)
        }
        return .removed
    }

    package func message(_ outcome: Outcome) -> String {
        switch outcome {
        case .removed: return "Namespace [\(namespace)] successfully removed from mesh [\(meshName)]"
        case .notInAnyMesh: return "Namespace [\(namespace)] already does not belong to any mesh"
        }
    }
}
