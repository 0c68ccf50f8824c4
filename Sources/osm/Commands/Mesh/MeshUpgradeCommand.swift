import ArgumentParser
import YAML
import OSM
import KubeClient

/// `osm mesh upgrade`: changes a control plane's configuration. Only the flags the user gave
/// change anything: every optional property here is nil when its flag was not given.
struct MeshUpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Change the configuration of an OSM control plane.",
        discussion: """
            The control plane is found by its mesh name (--mesh-name) and namespace \
            (--osm-namespace). Each configuration flag given replaces that setting; every setting \
            whose flag is not given keeps its current value. --container-registry and \
            --osm-image-tag are the exceptions, as upstream: the images are always set from them, \
            so their defaults apply when they are not given. A Deployment whose image differs from \
            them is moved (its pods restart), with a notice on stderr first; one already running \
            them is left alone. --enable-tracing=false also removes the tracing address, port and \
            endpoint, as upstream's re-rendered ConfigMap does.

            Bool flags: --flag alone means true; --flag=false turns it off.

            Example: turn egress off in the mesh "osm" in osm-system, leaving the rest unchanged:
              $ osm mesh upgrade --osm-namespace osm-system --enable-egress=false
            """)

    @OptionGroup var cluster: ClusterOptions

    @Option(help: ArgumentHelp("Name of the mesh to upgrade", valueName: "name"))
    var meshName: String = MeshConstants.defaultMeshName

    @Option(help: ArgumentHelp("Not supported: this osm renders the built-in v0.8.4 chart without Helm", valueName: "path"))
    var osmChartPath: String?

    @Option(help: ArgumentHelp("Container registry that hosts the control plane images", valueName: "registry"))
    var containerRegistry: String = ChartDefaults.containerRegistry

    @Option(help: ArgumentHelp("Tag of the control plane images", valueName: "tag"))
    var osmImageTag: String = ChartDefaults.appVersion

    @Option(help: GoBoolValue.help("Allow traffic between all services in the mesh, without SMI policies", default: nil), transform: GoBoolValue.parse)
    var enablePermissiveTrafficPolicy: Bool?

    @Option(help: GoBoolValue.help("Let the mesh's pods reach destinations outside the mesh", default: nil), transform: GoBoolValue.parse)
    var enableEgress: Bool?

    @Option(help: GoBoolValue.help("Run the debug HTTP server", default: nil), transform: GoBoolValue.parse)
    var enableDebugServer: Bool?

    @Option(help: ArgumentHelp(
        "Envoy log level: trace, debug, info, warning, warn, error, critical or off (default: unchanged)",
        valueName: "level"))
    var envoyLogLevel: String?

    @Option(help: GoBoolValue.help("Let Prometheus scrape the sidecar proxies' metrics", default: nil), transform: GoBoolValue.parse)
    var enablePrometheusScraping: Bool?

    @Option(help: GoBoolValue.help("Use HTTPS between ingress and the mesh's services", default: nil), transform: GoBoolValue.parse)
    var useHttpsIngress: Bool?

    @Option(
        help: ArgumentHelp("Validity of service certificates, a Go duration such as 24h or 1h30m (default: unchanged)", valueName: GoDurationValue.valueName),
        transform: GoDurationValue.parse)
    var serviceCertValidityDuration: GoDuration?

    @Option(help: GoBoolValue.help("Send traces to a tracing server", default: nil), transform: GoBoolValue.parse)
    var enableTracing: Bool?

    @Option(help: ArgumentHelp("Host name of the tracing server (default: unchanged)", valueName: "host"))
    var tracingAddress: String?

    @Option(help: ArgumentHelp("Port of the tracing server (default: unchanged)", valueName: "port"))
    var tracingPort: UInt16?

    @Option(help: ArgumentHelp("Path of the tracing server's endpoint (default: unchanged)", valueName: "path"))
    var tracingEndpoint: String?

    @Option(
        name: .customLong("outbound-ip-range-exclusion-list"),
        help: ArgumentHelp(
            "IP ranges (a.b.c.d/x) whose outbound traffic the sidecars do not intercept; repeatable or comma-separated (default: unchanged)",
            valueName: "cidr"),
        transform: { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) })
    var outboundIPRangeExclusionListValues: [[String]] = []

    @Option(help: GoBoolValue.help("Run the sidecars' init container privileged", default: nil), transform: GoBoolValue.parse)
    var enablePrivilegedInitContainer: Bool?

    @Option(help: GoBoolValue.help("Print each setting's old and new value and change nothing", default: false), transform: GoBoolValue.parse)
    var dryRun: Bool = false

    /// The exclusion list given (flags in order, comma lists split, as pflag's string slice);
    /// nil when not given.
    var outboundIPRangeExclusionList: [String]? {
        outboundIPRangeExclusionListValues.isEmpty ? nil : outboundIPRangeExclusionListValues.flatMap { $0 }
    }

    func validate() throws {
        if osmChartPath != nil {
            throw ValidationError(
                "--osm-chart-path is not supported: this osm has no Helm and renders its built-in OSM v0.8.4 chart")
        }
    }

    func run() throws {
        var upgrade = MeshUpgrade()
        upgrade.meshName = meshName
        upgrade.namespace = cluster.osmNamespace
        upgrade.enableEgress = enableEgress
        upgrade.enablePermissiveTrafficPolicy = enablePermissiveTrafficPolicy
        upgrade.enableDebugServer = enableDebugServer
        // As upstream, an empty string or a zero value means "not given" (scripts pass "$VAR").
        upgrade.envoyLogLevel = envoyLogLevel.flatMap { $0.isEmpty ? nil : $0 }
        upgrade.enablePrometheusScraping = enablePrometheusScraping
        upgrade.useHTTPSIngress = useHttpsIngress
        upgrade.serviceCertValidityDuration = serviceCertValidityDuration
        upgrade.enableTracing = enableTracing
        upgrade.tracingAddress = tracingAddress.flatMap { $0.isEmpty ? nil : $0 }
        // Upstream ignores a zero port ("not given").
        upgrade.tracingPort = tracingPort.flatMap { $0 == 0 ? nil : Int($0) }
        upgrade.tracingEndpoint = tracingEndpoint.flatMap { $0.isEmpty ? nil : $0 }
        upgrade.outboundIPRangeExclusionList = outboundIPRangeExclusionList
        upgrade.enablePrivilegedInitContainer = enablePrivilegedInitContainer
        upgrade.containerRegistry = containerRegistry
        upgrade.osmImageTag = osmImageTag
        upgrade.dryRun = dryRun
        let result = try upgrade.run(makeClient: { try cluster.makeClient() }) { moving in
            // As upstream, the images follow --container-registry and --osm-image-tag (defaults
            // included): say so before the control plane restarts.
            for c in moving {
                StandardError.write("Moving \(c.key) from \(c.old ?? "(unset)") to \(c.new): its pods will restart\n")
            }
        }
        for note in result.notes { StandardError.write(note + "\n") }
        if dryRun {
            if !result.changed { print("Nothing would change in mesh \(meshName)") }
            for c in result.configChanges + result.imageChanges + result.objectChanges {
                print("\(c.key): \(c.old.map { "\"\($0)\"" } ?? "(unset)") -> \(c.removed ? "(unset)" : "\"\(c.new)\"")")
            }
            if let revision = result.helmRevision { print("Helm release \(meshName): revision \(revision) would be recorded") }
            return
        }
        if !result.changed {
            StandardError.write("Nothing to change: mesh \(meshName) already has these settings\n")
        }
        print("OSM successfully upgraded mesh \(meshName)")
    }
}
