import ArgumentParser
import KubeClient

/// The options every command that talks to a cluster takes: which control plane, and kubectl's
/// own connection flags.
struct ClusterOptions: ParsableArguments {
    @OptionGroup var namespace: NamespaceOption

    @Option(
        help: ArgumentHelp(
            "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)",
            valueName: "path"),
        completion: .file())
    var kubeconfig: String?

    @Option(
        help: ArgumentHelp("Name of the kubeconfig context to use (default: the current context)", valueName: "name"))
    var context: String?

    @Option(
        name: .customLong("request-timeout"),
        help: ArgumentHelp(
            "How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m for a credential plugin)",
            valueName: "duration"),
        transform: GoDurationValue.parseRequestTimeout)
    var requestTimeout: GoDuration?

    @Option(
        name: [.customShort("v"), .customLong("v")],
        help: ArgumentHelp(
            "Request log verbosity on stderr, kubectl's levels: 6 requests, 7 request headers, 8 bodies",
            valueName: "level"))
    var verbosity: Int = 0

    /// The control-plane namespace (`--osm-namespace`, `$OSM_NAMESPACE`, `osm-system`).
    var osmNamespace: String { namespace.osmNamespace(kubeconfig: kubeconfig, context: context) }

    func validate() throws {
        guard verbosity >= 0 else {
            throw ValidationError("-v takes a level of 0 or more, not \(verbosity)")
        }
    }
}
