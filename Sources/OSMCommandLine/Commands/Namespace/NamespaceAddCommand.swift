import ArgumentParser
import ObjectModel
import MeshControl
import KubeClient

/// `osm namespace add NAMESPACE...`
struct NamespaceAddCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add namespaces to a mesh.",
        discussion: """
            Each namespace is labelled as monitored by the mesh and, unless \
            --disable-sidecar-injection is given, annotated so that its new pods get an Envoy \
            sidecar. A namespace that holds an OSM controller is skipped.

            Examples:
              $ osm namespace add bookstore bookbuyer
              $ osm namespace add bookstore --mesh-name hello-osm --disable-sidecar-injection
            """)

    enum Flags {
        static let meshName = GoFlag("mesh-name", .string, default: MeshConstants.defaultMeshName, valueName: "name", "Name of the mesh")
        static let disableSidecarInjection = GoFlag("disable-sidecar-injection", .bool, default: "false", "Do not inject sidecars into the namespaces' pods")
    }
    static let flags = [Flags.meshName, Flags.disableSidecarInjection]
    /// namespace_add.go: cobra.MinimumNArgs(1).
    static let positionalArgs: CobraArgs? = .minimum(1)

    @OptionGroup var cluster: ClusterOptions
    @Argument(help: ArgumentHelp("Namespaces to add", valueName: "namespace")) var namespaces: [String]
    @Option(Flags.meshName) var meshName: String
    @Option(Flags.disableSidecarInjection) var disableSidecarInjection: Bool

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        namespaces = p.arguments
        meshName = p.string(Flags.meshName)
        disableSidecarInjection = p.bool(Flags.disableSidecarInjection)
    }

    func run() throws {
        let add = NamespaceAdd(namespaces: namespaces, meshName: meshName, disableSidecarInjection: disableSidecarInjection)
        let result = try add.run(client: try cluster.makeClient())
        if let warning = result.warning { StandardError.write("Warning: \(warning)\n") }
        for (namespace, outcome) in result.outcomes {
            let line = NamespaceAdd.message(namespace, outcome, meshName: meshName)
            if case .failed = outcome {
                StandardError.write("Error: \(line)\n")
            } else {
                print(line)
            }
        }
        if result.anyFailed { throw ExitCode.failure }
    }
}
