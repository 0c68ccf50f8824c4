import ArgumentParser
import KubeClient
import OSM
import YAML

/// `osm verify connectivity`: whether meshed pods may reach a destination outside the cluster.
struct VerifyConnectivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connectivity",
        abstract: "Verify connectivity between a pod and an external destination.",
        discussion: """
            Checks, for the pod (or every meshed pod of a namespace): that it exists and runs, that \
            its namespace is monitored by the mesh, that it has the Envoy sidecar; that the \
            destination is outside the mesh; osm-config's egress; and that the sidecar's Envoy \
            config agrees with it (with egress on, the outbound-listener's default filter chain \
            outbound-egress-filter-chain sending to the passthrough-outbound cluster; with egress \
            off, no such chain). Exits 0 when the configuration allows the traffic, 1 when it does \
            not, with the reason.

              # Right after osm mesh upgrade --enable-egress, wait until every sidecar has it:
              $ osm verify connectivity --from-namespace curl --to-ext-host httpbin.org --to-ext-port 443 --app-protocol https --wait 2m
              $ osm verify connectivity --from-pod curl/curl-7bb5845476-zwxbt --to-ext-host httpbin.org --to-ext-port 80
            """)

    /// Each request's bound when --request-timeout is not given: a hung server must not hang a CI job.
    static let defaultRequestTimeout = 30.0

    @Option(help: ArgumentHelp("Namespaced name of the client pod: <namespace>/<name>", valueName: "namespace/name"))
    var fromPod: String?

    @Option(help: ArgumentHelp("Check every pod with an Envoy sidecar in this namespace (at most 8 at once)", valueName: "namespace"))
    var fromNamespace: String?

    @Option(help: ArgumentHelp("External hostname or IP address", valueName: "host"))
    var toExtHost: String = ""

    @Option(help: ArgumentHelp("External port", valueName: "port"))
    var toExtPort: Int

    @Option(help: ArgumentHelp("Application protocol: http, https or tcp (v0.8 passes each through the same egress chain)", valueName: "protocol"))
    var appProtocol: String = "http"

    @Option(help: ArgumentHelp("Name of the mesh", valueName: "name"))
    var meshName: String = MeshConstants.defaultMeshName

    @Option(help: ArgumentHelp("Poll until every checked sidecar agrees with osm-config, for at most this long (Go duration); progress on stderr", valueName: "duration"),
            transform: GoDurationValue.parse)
    var wait: GoDuration?

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        switch (fromPod, fromNamespace) {
        case (nil, nil): throw ValidationError("one of --from-pod or --from-namespace must be set")
        case (.some, .some): throw ValidationError("--from-pod cannot be set with --from-namespace")
        default: break
        }
        if let fromPod {
            let parts = fromPod.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--from-pod must be a namespaced name of the form <namespace>/<name>, got \(fromPod)")
            }
        }
        guard (1...65535).contains(toExtPort) else {
            throw ValidationError("--to-ext-port must be a port between 1 and 65535, got \(toExtPort)")
        }
        guard ["http", "https", "tcp"].contains(appProtocol) else {
            throw ValidationError("--app-protocol must be http, https or tcp, got \(appProtocol)")
        }
        if let wait, wait.nanoseconds < 0 {
            throw ValidationError("--wait cannot be negative, got \(wait)")
        }
        guard KubernetesNames.isLabelValue(meshName), !meshName.isEmpty else {
            throw ValidationError("invalid --mesh-name \(GoFormat.quoted(meshName))")
        }
    }

    func run() throws {
        let client = try cluster.makeClient(defaultRequestTimeout: Self.defaultRequestTimeout)
        let verifier = EgressConnectivityVerifier(
            meshName: meshName, osmNamespace: cluster.osmNamespace,
            destination: .init(host: toExtHost, port: toExtPort, appProtocol: appProtocol))
        let pods: [(namespace: String, name: String)]
        if let fromPod {
            let parts = fromPod.split(separator: "/").map(String.init)
            pods = [(parts[0], parts[1])]
        } else {
            let ns = fromNamespace ?? ""
            let names = try EgressConnectivityVerifier.meshedPods(client: client, namespace: ns)
            guard !names.isEmpty else {
                throw CLIError("no pod with an Envoy sidecar in namespace \(ns): add it to the mesh (osm namespace add \(ns)) and restart its pods, or name a pod with --from-pod")
            }
            pods = names.map { (ns, $0) }
        }
        let reader = EnvoyAdminReader.make(client: client, userAgent: "osm/\(BuildInfo.version)")
        let waitLimit = wait.map { Duration.nanoseconds($0.nanoseconds) }
        let reports = try verifier.run(client: client, pods: pods, reader: reader, waitUpTo: waitLimit) { line in
            StandardError.write(line + "\n")
        }
        VerificationPrinter.print(reports.map { $0.verification })
        if !reports.allSatisfy({ $0.allowed }) { throw ExitCode(1) }
    }
}
