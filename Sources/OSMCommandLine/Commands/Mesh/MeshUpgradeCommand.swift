import ArgumentParser
import ObjectModel
import MeshControl
import KubeClient

/// `osm mesh upgrade`: changes a control plane's configuration. Only the flags the user gave
/// change anything: every optional property here is nil when its flag was not given.
struct MeshUpgradeCommand: PflagCommand {
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

    /// Upstream's flags (cmd/cli/mesh_upgrade.go), each read only when given (`Changed`), and
    /// this osm's --dry-run.
    enum Flags {
        static let meshName = GoFlag("mesh-name", .string, default: MeshConstants.defaultMeshName, valueName: "name", "Name of the mesh to upgrade")
        static let osmChartPath = GoFlag("osm-chart-path", .string, valueName: "path", "Not supported: this osm renders the built-in v0.8.4 chart without Helm")
        static let containerRegistry = GoFlag("container-registry", .string, default: ChartDefaults.containerRegistry, valueName: "registry", "Container registry that hosts the control plane images")
        static let osmImageTag = GoFlag("osm-image-tag", .string, default: ChartDefaults.appVersion, valueName: "tag", "Tag of the control plane images")
        static let enablePermissiveTrafficPolicy = GoFlag("enable-permissive-traffic-policy", .bool, default: "false", describedDefault: "unchanged", "Allow traffic between all services in the mesh, without SMI policies")
        static let enableEgress = GoFlag("enable-egress", .bool, default: "false", describedDefault: "unchanged", "Let the mesh's pods reach destinations outside the mesh")
        static let enableDebugServer = GoFlag("enable-debug-server", .bool, default: "false", describedDefault: "unchanged", "Run the debug HTTP server")
        static let envoyLogLevel = GoFlag("envoy-log-level", .string, valueName: "level", describedDefault: "unchanged", "Envoy log level: trace, debug, info, warning, warn, error, critical or off")
        static let enablePrometheusScraping = GoFlag("enable-prometheus-scraping", .bool, default: "true", describedDefault: "unchanged", "Let Prometheus scrape the sidecar proxies' metrics")
        static let useHTTPSIngress = GoFlag("use-https-ingress", .bool, default: "false", describedDefault: "unchanged", "Use HTTPS between ingress and the mesh's services")
        static let serviceCertValidityDuration = GoFlag("service-cert-validity-duration", .duration, default: "0s", describedDefault: "unchanged", "Validity of service certificates, a Go duration such as 24h or 1h30m")
        static let enableTracing = GoFlag("enable-tracing", .bool, default: "false", describedDefault: "unchanged", "Send traces to a tracing server")
        static let tracingAddress = GoFlag("tracing-address", .string, valueName: "host", describedDefault: "unchanged", "Host name of the tracing server")
        static let tracingPort = GoFlag("tracing-port", .uint16, default: "0", valueName: "port", describedDefault: "unchanged", "Port of the tracing server")
        static let tracingEndpoint = GoFlag("tracing-endpoint", .string, valueName: "path", describedDefault: "unchanged", "Path of the tracing server's endpoint")
        static let outboundIPRangeExclusionList = GoFlag("outbound-ip-range-exclusion-list", .stringSlice, valueName: "cidr", describedDefault: "unchanged", "IP ranges (a.b.c.d/x) whose outbound traffic the sidecars do not intercept; repeatable or comma-separated")
        static let enablePrivilegedInitContainer = GoFlag("enable-privileged-init-container", .bool, default: "false", describedDefault: "unchanged", "Run the sidecars' init container privileged")
        static let dryRun = GoFlag("dry-run", .bool, default: "false", "Print each setting's old and new value and change nothing")
    }

    static let flags: [GoFlag] = [
        Flags.meshName, Flags.osmChartPath, Flags.containerRegistry, Flags.osmImageTag, Flags.enablePermissiveTrafficPolicy,
        Flags.enableEgress, Flags.enableDebugServer, Flags.envoyLogLevel, Flags.enablePrometheusScraping, Flags.useHTTPSIngress,
        Flags.serviceCertValidityDuration, Flags.enableTracing, Flags.tracingAddress, Flags.tracingPort, Flags.tracingEndpoint,
        Flags.outboundIPRangeExclusionList, Flags.enablePrivilegedInitContainer, Flags.dryRun,
    ]
    /// mesh_upgrade.go declares no Args: stray words are ignored, as cobra's legacy rule does.
    static let positionalArgs: CobraArgs? = nil

    @OptionGroup var cluster: ClusterOptions
    @Option(Flags.meshName) var meshName: String
    @Option(Flags.osmChartPath) var osmChartPath: String?
    @Option(Flags.containerRegistry) var containerRegistry: String
    @Option(Flags.osmImageTag) var osmImageTag: String
    @Option(Flags.enablePermissiveTrafficPolicy) var enablePermissiveTrafficPolicy: Bool?
    @Option(Flags.enableEgress) var enableEgress: Bool?
    @Option(Flags.enableDebugServer) var enableDebugServer: Bool?
    @Option(Flags.envoyLogLevel) var envoyLogLevel: String?
    @Option(Flags.enablePrometheusScraping) var enablePrometheusScraping: Bool?
    @Option(Flags.useHTTPSIngress) var useHttpsIngress: Bool?
    @Option(Flags.serviceCertValidityDuration) var serviceCertValidityDuration: GoDuration?
    @Option(Flags.enableTracing) var enableTracing: Bool?
    @Option(Flags.tracingAddress) var tracingAddress: String?
    @Option(Flags.tracingPort) var tracingPort: UInt16?
    @Option(Flags.tracingEndpoint) var tracingEndpoint: String?
    /// The exclusion list given (flags in order, CSV lists split, as pflag's string slice); nil
    /// when not given.
    @Option(Flags.outboundIPRangeExclusionList) var outboundIPRangeExclusionList: [String]?
    @Option(Flags.enablePrivilegedInitContainer) var enablePrivilegedInitContainer: Bool?
    @Option(Flags.dryRun) var dryRun: Bool

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        meshName = p.string(Flags.meshName)
        let chartPath = p.string(Flags.osmChartPath)
        osmChartPath = chartPath.isEmpty ? nil : chartPath
        containerRegistry = p.string(Flags.containerRegistry)
        osmImageTag = p.string(Flags.osmImageTag)
        enablePermissiveTrafficPolicy = p.ifGiven(Flags.enablePermissiveTrafficPolicy, p.bool)
        enableEgress = p.ifGiven(Flags.enableEgress, p.bool)
        enableDebugServer = p.ifGiven(Flags.enableDebugServer, p.bool)
        envoyLogLevel = p.ifGiven(Flags.envoyLogLevel, p.string)
        enablePrometheusScraping = p.ifGiven(Flags.enablePrometheusScraping, p.bool)
        useHttpsIngress = p.ifGiven(Flags.useHTTPSIngress, p.bool)
        // mesh_upgrade.go: only a positive duration and a non-empty list are values to set.
        serviceCertValidityDuration = p.ifGiven(Flags.serviceCertValidityDuration, p.duration).flatMap { $0.nanoseconds > 0 ? $0 : nil }
        enableTracing = p.ifGiven(Flags.enableTracing, p.bool)
        tracingAddress = p.ifGiven(Flags.tracingAddress, p.string)
        tracingPort = p.ifGiven(Flags.tracingPort, p.uint16)
        tracingEndpoint = p.ifGiven(Flags.tracingEndpoint, p.string)
        outboundIPRangeExclusionList = p.list(Flags.outboundIPRangeExclusionList).isEmpty ? nil : p.list(Flags.outboundIPRangeExclusionList)
        enablePrivilegedInitContainer = p.ifGiven(Flags.enablePrivilegedInitContainer, p.bool)
        dryRun = p.bool(Flags.dryRun)
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
        upgrade.namespace = try cluster.requestOSMNamespace()
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
