import ArgumentParser
import ObjectModel
import MeshControl
import KubeClient

/// `osm namespace ignore NAMESPACE...`
struct NamespaceIgnoreCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "ignore",
        abstract: "Keep namespaces out of every mesh.",
        discussion: "Labels each namespace so that no OSM control plane touches it or injects sidecars into its pods.")

    static let flags: [GoFlag] = []
    /// namespace_ignore.go: cobra.MinimumNArgs(1).
    static let positionalArgs: CobraArgs? = .minimum(1)

    @OptionGroup var cluster: ClusterOptions
    @Argument(help: ArgumentHelp("Namespaces to ignore", valueName: "namespace")) var namespaces: [String]

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        namespaces = p.arguments
    }

    func run() throws {
        let results = try NamespaceIgnore(namespaces: namespaces).run(client: try cluster.makeClient())
        var failed = false
        for (_, result) in results {
            switch result {
            case .success(let line): print(line)
            case .failure(let error):
                failed = true
                StandardError.write("Error: \(error.message)\n")
            }
        }
        if failed { throw ExitCode.failure }
    }
}
