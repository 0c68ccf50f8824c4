import ArgumentParser
import ObjectModel
import MeshControl
import KubeClient

/// `osm namespace list`
struct NamespaceListCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the namespaces in meshes.",
        discussion: "Lists the namespaces of one mesh (--mesh-name, or the name as argument, as upstream) or of all meshes.")

    static let meshNameFlag = GoFlag("mesh-name", .string, valueName: "name", describedDefault: "all meshes", "Name of the mesh whose namespaces to list")
    static let flags = [meshNameFlag, OutputOptions.flag]
    /// namespace_list.go: cobra.MaximumNArgs(1).
    static let positionalArgs: CobraArgs? = .maximum(1)

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var format: OutputOptions
    @Option(meshNameFlag) var meshName: String?
    @Argument(help: ArgumentHelp("Name of the mesh, as an argument instead of --mesh-name", valueName: "mesh-name"))
    var meshNameArgument: String?

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        format = try OutputOptions(parsed: p)
        meshName = p.ifGiven(Self.meshNameFlag, p.string)
        meshNameArgument = p.arguments.first
    }

    /// The mesh to list, nil for every mesh. Upstream lets the argument win over the flag.
    var selectedMeshName: String? {
        let name = meshNameArgument ?? meshName
        return name?.isEmpty == true ? nil : name
    }

    func run() throws {
        let list = NamespaceList(meshName: selectedMeshName)
        let entries = try list.run(client: try cluster.makeClient())
        switch format.output {
        case .text:
            if entries.isEmpty {
                print(list.emptyMessage)
                return
            }
            // Upstream ends every cell with a tab: every column is padded, the last one too.
            var table = Table(header: ["NAMESPACE", "MESH", "SIDECAR-INJECTION"], tabTerminated: true)
            for e in entries { table.append([e.namespace, e.mesh, e.sidecarInjection ?? "-"]) }
            OutputPrinter.print(table)
        case .json, .yaml:
            let value = JSONValue.array(entries.map {
                ["namespace": .string($0.namespace), "mesh": .string($0.mesh),
                 "sidecarInjection": $0.sidecarInjection.map { .string($0) } ?? .null]
            })
            OutputPrinter.print(value, as: format.output)
        }
    }
}
