import KubeClient
import OSM

// TEMPORARY (branch verify only): replaced by the port-forward reader when the portforward branch is merged.
enum EnvoyAdmin {
    static func reader(client: KubeClient) -> EgressConnectivityVerifier.AdminReader {
        { _, _, _ in throw CLIError("port-forward not merged yet") }
    }
}
