import KubeClient
import OSM
import ArgumentParser

/// `--osm-namespace`: where the control plane lives. Its default comes from `OSM_NAMESPACE`
/// at run time (not at parse time, so help and man pages do not depend on the environment).
struct NamespaceOption: ParsableArguments {
    static let environmentVariable = "OSM_NAMESPACE"
    static let defaultNamespace = MeshConstants.defaultNamespace

    @Option(
        name: .customLong("osm-namespace"),
        help: ArgumentHelp(
            "Namespace of the OSM control plane; $OSM_NAMESPACE when not given (default: \(MeshConstants.defaultNamespace))",
            valueName: "namespace"))
    var explicitNamespace: String?

    /// The control-plane namespace: the flag, else `$OSM_NAMESPACE` (even if empty, as upstream),
    /// else `osm-system`.
    var osmNamespace: String {
        explicitNamespace ?? Environment.value(Self.environmentVariable) ?? Self.defaultNamespace
    }
}
