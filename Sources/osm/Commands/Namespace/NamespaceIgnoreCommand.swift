import ArgumentParser
import YAML
import OSM
import KubeClient

/// `osm namespace ignore NAMESPACE...`
struct NamespaceIgnoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ignore",
        abstract: "Keep namespaces out of every mesh.",
        discussion: "Labels each namespace so that no OSM control plane touches it or injects sidecars into its pods.")

    @OptionGroup var cluster: ClusterOptions

    @Argument(help: ArgumentHelp("Namespaces to ignore", valueName: "namespace"))
    var namespaces: [String]

    func validate() throws {
        guard !namespaces.isEmpty else { throw ValidationError("Missing expected argument '<namespace> ...'") }
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
