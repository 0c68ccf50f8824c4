import ArgumentParser
import ObjectModel
import MeshControl
import KubeClient

/// `osm mesh uninstall` (also `delete`, `del`): removes a control plane, keeping its namespace.
struct MeshUninstallCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Uninstall an OSM control plane.",
        discussion: """
            Removes the control plane with the given mesh name from the namespace given by \
            --osm-namespace, after asking for confirmation. The namespace itself is kept.

            Every object of the mesh is found by its labels, whether or not its controller \
            still runs, so this also removes what an install or uninstall that stopped part \
            way left behind; run it again to finish an uninstall that failed part way.
            """,
        aliases: ["delete", "del"])

    enum Flags {
        static let meshName = GoFlag("mesh-name", .string, default: MeshConstants.defaultMeshName, valueName: "name", "Name of the mesh to uninstall")
        static let force = GoFlag("force", "f", .bool, default: "false", "Do not ask for confirmation, and succeed if there is no such control plane")
    }
    static let flags = [Flags.meshName, Flags.force]
    /// mesh_uninstall.go: cobra.ExactArgs(0).
    static let positionalArgs: CobraArgs? = .exact(0)

    @OptionGroup var cluster: ClusterOptions
    @Option(Flags.meshName) var meshName: String
    @Option(Flags.force) var force: Bool

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        meshName = p.string(Flags.meshName)
        force = p.bool(Flags.force)
    }

    func run() throws {
        // As upstream (mesh_uninstall.go run()): the question comes first, before the kubeconfig
        // is read or the mesh looked up; no clear answer after 3 tries is a no, exit 0.
        if !force, try !Confirmation.ask("Uninstall OSM [mesh name: \(meshName)] ?", tries: 3) {
            return
        }
        let namespace = try cluster.requestOSMNamespace()
        let uninstall = MeshUninstall(meshName: meshName, namespace: namespace, force: force)
        switch try uninstall.run(client: try cluster.makeClient(), warn: { StandardError.write($0 + "\n") }) {
        case .nothingToDo:
            StandardError.write("Nothing to uninstall: no object of mesh [\(meshName)] in namespace [\(namespace)] or cluster-wide\n")
        case .uninstalled(let deleted):
            for d in deleted { StandardError.write("Deleted \(d)\n") }
            print("OSM [mesh name: \(meshName)] uninstalled")
            StandardError.write("Kept namespace [\(namespace)] and the SMI CustomResourceDefinitions; delete them with kubectl if nothing else uses them\n")
        }
    }
}
