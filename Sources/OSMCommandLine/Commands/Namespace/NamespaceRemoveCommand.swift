import ArgumentParser
import ObjectModel
import MeshControl
import KubeClient

/// `osm namespace remove NAMESPACE`
struct NamespaceRemoveCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a namespace from a mesh.",
        discussion: "Removes the mesh's label and the sidecar injection annotation from the namespace, if it belongs to that mesh.")

    static let meshNameFlag = GoFlag("mesh-name", .string, default: MeshConstants.defaultMeshName, valueName: "name", "Name of the mesh")
    static let flags = [meshNameFlag]
    /// namespace_remove.go: cobra.ExactArgs(1).
    static let positionalArgs: CobraArgs? = .exact(1)

    @OptionGroup var cluster: ClusterOptions
    @Argument(help: ArgumentHelp("Namespace to remove", valueName: "namespace")) var namespace: String
    @Option(meshNameFlag) var meshName: String

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        namespace = p.arguments[0]
        meshName = p.string(Self.meshNameFlag)
    }

    func run() throws {
        let remove = NamespaceRemove(namespace: namespace, meshName: meshName)
        let outcome = try remove.run(client: try cluster.makeClient())
        print(remove.message(outcome))
    }
}
