import ArgumentParser
import YAML
import OSM
import KubeClient

/// `osm namespace remove NAMESPACE`
struct NamespaceRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a namespace from a mesh.",
        discussion: "Removes the mesh's label and the sidecar injection annotation from the namespace, if it belongs to that mesh.")

    @OptionGroup var cluster: ClusterOptions

    @Argument(help: ArgumentHelp("Namespace to remove", valueName: "namespace"))
    var namespace: String

    @Option(help: ArgumentHelp("Name of the mesh", valueName: "name"))
    var meshName: String = MeshConstants.defaultMeshName

    func run() throws {
        let remove = NamespaceRemove(namespace: namespace, meshName: meshName)
        let outcome = try remove.run(client: try cluster.makeClient())
        print(remove.message(outcome))
    }
}
