import ArgumentParser
import KubeClient
import MeshControl
import ObjectModel

/// `osm verify connectivity`: whether meshed pods may reach a destination outside the cluster.
struct VerifyConnectivityCommand: PflagCommand {
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

    enum Flags {
        static let fromPod = GoFlag("from-pod", .string, valueName: "namespace/name", "Namespaced name of the client pod: <namespace>/<name>")
        static let fromNamespace = GoFlag("from-namespace", .string, valueName: "namespace", "Check every pod with an Envoy sidecar in this namespace (at most 8 at once)")
        static let toExtHost = GoFlag("to-ext-host", .string, valueName: "host", "External hostname or IP address")
        static let toExtPort = GoFlag("to-ext-port", .int, default: "0", valueName: "port", "External port")
        static let appProtocol = GoFlag("app-protocol", .string, default: "http", valueName: "protocol", "Application protocol: http, https or tcp (v0.8 passes each through the same egress chain)")
        static let meshName = GoFlag("mesh-name", .string, default: MeshConstants.defaultMeshName, valueName: "name", "Name of the mesh")
        static let wait = GoFlag("wait", .duration, default: "0s", describedDefault: "no waiting", "Poll until every checked sidecar agrees with osm-config, for at most this long (Go duration); progress on stderr")
    }
    static let flags = [Flags.fromPod, Flags.fromNamespace, Flags.toExtHost, Flags.toExtPort, Flags.appProtocol, Flags.meshName, Flags.wait]
    static let positionalArgs: CobraArgs? = CobraArgs.none

    @Option(Flags.fromPod) var fromPod: String?
    @Option(Flags.fromNamespace) var fromNamespace: String?
    @Option(Flags.toExtHost) var toExtHost: String
    @Option(required: Flags.toExtPort) var toExtPort: Int
    @Option(Flags.appProtocol) var appProtocol: String
    @Option(Flags.meshName) var meshName: String
    @Option(Flags.wait) var wait: GoDuration?
    @OptionGroup var cluster: ClusterOptions

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        fromPod = p.ifGiven(Flags.fromPod, p.string)
        fromNamespace = p.ifGiven(Flags.fromNamespace, p.string)
        toExtHost = p.string(Flags.toExtHost)
        // cobra's MarkFlagRequired text.
        guard p.isGiven(Flags.toExtPort) else { throw CLIError(.invalidInput, "required flag(s) \"to-ext-port\" not set") }
        toExtPort = p.int(Flags.toExtPort)
        appProtocol = p.string(Flags.appProtocol)
        meshName = p.string(Flags.meshName)
        wait = p.ifGiven(Flags.wait, p.duration)
    }

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
        try MeshName.check(meshName)
    }

    func run() throws {
        let osmNamespace = try cluster.requestOSMNamespace()
        let client = try cluster.makeClient(defaultRequestTimeout: Self.defaultRequestTimeout)
        let verifier = EgressConnectivityVerifier(
            meshName: meshName, osmNamespace: osmNamespace,
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
        let reader = EnvoyAdminReader.make(client: client)
        let waitLimit = wait.map { Duration.nanoseconds($0.nanoseconds) }
        let reports = try verifier.run(client: client, pods: pods, reader: reader, waitUpTo: waitLimit) { line in
            StandardError.write(line + "\n")
        }
        VerificationPrinter.print(reports.map { $0.verification })
        if !reports.allSatisfy({ $0.allowed }) { throw ExitCode(1) }
    }
}
