import ArgumentParser
import YAML
import OSM
import KubeClient

/// `osm namespace add NAMESPACE...`
struct NamespaceAddCommand: ParsableCommand {
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

    @OptionGroup var cluster: ClusterOptions

    @Argument(help: ArgumentHelp("Namespaces to add", valueName: "namespace"))
    var namespaces: [String]

    @Option(help: ArgumentHelp("Name of the mesh", valueName: "name"))
    var meshName: String = MeshConstants.defaultMeshName

    @Option(help: GoBoolValue.help("Do not inject sidecars into the namespaces' pods", default: false), transform: GoBoolValue.parse)
    var disableSidecarInjection: Bool = false

    func validate() throws {
        guard !namespaces.isEmpty else { throw ValidationError("Missing expected argument '<namespace> ...'") }
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
