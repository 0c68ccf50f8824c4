import ArgumentParser
import MeshControl

/// `osm policy check-pods SOURCE_POD DESTINATION_POD`
struct PolicyCheckPodsCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-pods",
        abstract: "Check whether one pod may send traffic to another.",
        discussion: """
            Both pods must be in the mesh. In permissive traffic policy mode every meshed pod may \
            talk to every other; otherwise the source pod's service account must be a source of an \
            SMI TrafficTarget whose destination is the destination pod's service account. Prints the \
            verdict and each such TrafficTarget.

            Examples:
              $ osm policy check-pods bookbuyer/bookbuyer-client bookstore/bookstore-server
              $ osm policy check-pods bookbuyer-client bookstore-server   # both in namespace default
            """)

    static let flags: [GoFlag] = []
    /// trafficpolicy_check.go: cobra.ExactArgs(2).
    static let positionalArgs: CobraArgs? = .exact(2)

    @OptionGroup var cluster: ClusterOptions
    @Argument(help: ArgumentHelp("Source pod, as <namespace>/<pod> or <pod> in namespace default", valueName: "source-pod"))
    var sourcePod: String
    @Argument(help: ArgumentHelp("Destination pod, as <namespace>/<pod> or <pod> in namespace default", valueName: "destination-pod"))
    var destinationPod: String

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        sourcePod = p.arguments[0]
        destinationPod = p.arguments[1]
    }

    func run() throws {
        let check = PolicyCheckPods(sourcePod: sourcePod, destinationPod: destinationPod, osmNamespace: try cluster.requestOSMNamespace())
        try check.run(client: try cluster.makeClient()) { print($0, terminator: "") }
    }
}
