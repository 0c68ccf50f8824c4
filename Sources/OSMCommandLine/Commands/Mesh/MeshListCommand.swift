import ArgumentParser
import ObjectModel
import MeshControl
import KubeClient

/// `osm mesh list`: the control planes in the cluster.
struct MeshListCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the OSM control planes in the cluster.",
        discussion: """
            Prints each control plane's mesh name, namespace and controller pods, as upstream \
            (a blank line, then the table). -o wide adds each control plane's version (its \
            controller's image tag); -o json and -o yaml print all four.
            """)

    /// Upstream prints only the table; `wide`, `json` and `yaml` are this osm's.
    enum Format: String, CaseIterable, ExpressibleByArgument, FlagPlaceholder {
        case text, wide, json, yaml
        static var placeholder: Format { .text }
    }

    static let outputFlag = GoFlag("output", "o", .string, default: Format.text.rawValue, valueName: "format",
                                   "Output format: text, wide, json or yaml")
    static let flags = [outputFlag]
    /// mesh_list.go: cobra.ExactArgs(0).
    static let positionalArgs: CobraArgs? = .exact(0)

    @OptionGroup var cluster: ClusterOptions
    @Option(outputFlag) var output: Format

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        output = try Format.parse(p.string(Self.outputFlag), flag: Self.outputFlag)
    }

    func run() throws {
        let entries = try MeshList().run(client: try cluster.makeClient())
        switch output {
        case .text, .wide:
            if entries.isEmpty {
                print("No control planes found")
                return
            }
            var header = ["MESH NAME", "NAMESPACE", "CONTROLLER PODS"]
            if output == .wide { header.append("VERSION") }
            var table = Table(header: header)
            for e in entries {
                var row = [e.meshName, e.namespace, e.controllerPods.joined(separator: ",")]
                if output == .wide { row.append(e.version) }
                table.append(row)
            }
            // Upstream's header line starts with a newline.
            print()
            OutputPrinter.print(table)
        case .json, .yaml:
            let value = JSONValue.array(entries.map {
                ["meshName": .string($0.meshName), "namespace": .string($0.namespace),
                 "controllerPods": JSONValue($0.controllerPods), "version": .string($0.version)]
            })
            OutputPrinter.print(value, as: output == .json ? .json : .yaml)
        }
    }
}
