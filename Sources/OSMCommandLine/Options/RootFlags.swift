import KubeClient
import MeshControl

/// The root's persistent flags, which every command accepts (before or after its name) and
/// those that do not talk to a cluster ignore, as cobra's persistent flags: upstream's
/// `--osm-namespace` (pkg/cli/environment.go), and kubectl's connection flags this osm adds.
enum RootFlags {
    static let osmNamespace = GoFlag(
        "osm-namespace", .string, valueName: "namespace",
        describedDefault: "$OSM_NAMESPACE if set, else \(MeshConstants.defaultNamespace)",
        "Namespace of the OSM control plane; empty: the kubeconfig context's namespace")
    static let kubeconfig = GoFlag(
        "kubeconfig", .string, valueName: "path",
        describedDefault: "$KUBECONFIG, else ~/.kube/config, else in-cluster",
        "Path to the kubeconfig file")
    static let context = GoFlag(
        "context", .string, valueName: "name", describedDefault: "the current context",
        "Name of the kubeconfig context to use")
    static let requestTimeout = GoFlag(
        "request-timeout", .string, valueName: "duration",
        describedDefault: "\(GoDuration(seconds: ClientOptions.defaultRequestTimeout)) per request, \(GoDuration(seconds: ClientOptions.defaultExecTimeout)) for a credential plugin",
        "How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes")
    static let verbosity = GoFlag(
        "v", "v", .int, default: "0", valueName: "level",
        "Request log verbosity on stderr, kubectl's levels: 6 requests, 7 request headers, 8 bodies")

    static let all = [osmNamespace, kubeconfig, context, requestTimeout, verbosity]
}

extension GoFlag {
    /// One line of the root's help: names, value and usage with the default.
    var helpLine: String {
        let names = (shorthand.map { "-\($0), " } ?? "") + "--\(name) <\(valueName)>"
        return "  \(names)\n      \(usage)\(helpDefault.map { " (default: \($0))" } ?? "")"
    }
}
