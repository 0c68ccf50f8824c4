import ArgumentParser
import KubeClient
import MeshControl

/// `--osm-namespace`: where the control plane lives. Its default comes from `OSM_NAMESPACE`
/// at run time (not at parse time, so help and man pages do not depend on the environment).
struct NamespaceOption: ParsableArguments {
    static let environmentVariable = "OSM_NAMESPACE"
    static let defaultNamespace = MeshConstants.defaultNamespace

    @Option(RootFlags.osmNamespace) var explicitNamespace: String?

    init() {}

    init(parsed: ParsedCommand) {
        explicitNamespace = parsed.ifGiven(RootFlags.osmNamespace, parsed.string)
    }

    /// The control-plane namespace: the flag, else `$OSM_NAMESPACE` (set counts, even if empty,
    /// as upstream's `envOr`), else `osm-system`. An empty one is no override for client-go, as
    /// upstream passes it (`ConfigFlags.Namespace`): the kubeconfig context's namespace, etc.
    func osmNamespace(kubeconfig: String? = nil, context: String? = nil) -> String {
        let given = explicitNamespace ?? Environment.value(Self.environmentVariable) ?? Self.defaultNamespace
        guard given.isEmpty else { return given }
        var options = ClientOptions()
        options.kubeconfig = kubeconfig
        options.context = context
        return ContextNamespace.resolve(options)
    }
}
