import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ObjectModel
import YAMLCodec
import MeshControl
import KubeClient

/// `osm install`: creates a control plane.
struct InstallCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install an OSM control plane.",
        discussion: """
            Creates the control plane in the namespace given by --osm-namespace (created when \
            missing) together with its cluster-wide objects, then waits up to --timeout for it to \
            become available.

            Several control planes can share a cluster; each has a cluster-wide unique mesh name \
            (--mesh-name), which must be a valid Kubernetes label value: at most 63 characters, \
            alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric.

            If an earlier install stopped part way, osm install says which objects of the mesh \
            exist and which are missing: finish it with --resume (and the same flags), or remove \
            it with osm mesh uninstall. With --atomic, a failure, Ctrl-C (SIGINT) or SIGTERM \
            deletes every object this run created or may have created (its create was sent) and \
            nothing that existed before; a second signal stops that rollback and lists what is \
            left. Without --atomic, an interrupted install lists what it created and how to \
            remove it. Interrupted installs exit 130 (SIGINT) or 143 (SIGTERM).

            Bool flags: --flag alone means true; --flag=false turns it off.

            Examples:
              $ osm install
              $ osm install --mesh-name hello-osm --osm-namespace hello --enable-egress
              $ osm install --dry-run -o yaml > osm.yaml
            """)

    /// Upstream's install flags (cmd/cli/install.go), with the chart's defaults, and this osm's
    /// --resume, --dry-run and -o.
    enum Flags {
        private static let d = InstallValues.defaults
        static let meshName = GoFlag("mesh-name", .string, default: d.meshName, valueName: "name", "Name of the new control plane, unique in the cluster")
        static let containerRegistry = GoFlag("container-registry", .string, default: d.containerRegistry, valueName: "registry", "Container registry that hosts the control plane images")
        static let containerRegistrySecret = GoFlag("container-registry-secret", .string, default: d.containerRegistrySecret, valueName: "name", "Name of the Kubernetes Secret with the registry's credentials, created if missing (default: none)")
        static let osmImageTag = GoFlag("osm-image-tag", .string, default: d.osmImageTag, valueName: "tag", "Tag of the control plane images")
        static let osmImagePullPolicy = GoFlag("osm-image-pull-policy", .string, default: d.osmImagePullPolicy, valueName: "policy", "Pull policy of the control plane images")
        static let osmChartPath = GoFlag("osm-chart-path", .string, valueName: "path", "Not supported: this osm renders the built-in v0.8.4 chart without Helm; use --set for chart values")
        static let certificateManager = GoFlag("certificate-manager", .string, default: d.certificateManager, valueName: "name", "Certificate manager: tresor, vault or cert-manager")
        static let vaultHost = GoFlag("vault-host", .string, default: d.vaultHost, valueName: "host", "Host of the Hashicorp Vault service (default: none; needed with vault)")
        static let vaultProtocol = GoFlag("vault-protocol", .string, default: d.vaultProtocol, valueName: "protocol", "Protocol to reach Vault")
        static let vaultToken = GoFlag("vault-token", .string, default: d.vaultToken, valueName: "token", "Token to authenticate to Vault (default: none; needed with vault)")
        static let vaultRole = GoFlag("vault-role", .string, default: d.vaultRole, valueName: "role", "Vault role used by the mesh")
        static let certManagerIssuerName = GoFlag("cert-manager-issuer-name", .string, default: d.certManagerIssuerName, valueName: "name", "cert-manager issuer name")
        static let certManagerIssuerKind = GoFlag("cert-manager-issuer-kind", .string, default: d.certManagerIssuerKind, valueName: "kind", "cert-manager issuer kind")
        static let certManagerIssuerGroup = GoFlag("cert-manager-issuer-group", .string, default: d.certManagerIssuerGroup, valueName: "group", "cert-manager issuer group")
        // A string flag upstream too: kept as written for the chart; Install checks its syntax.
        static let serviceCertValidityDuration = GoFlag("service-cert-validity-duration", .string, default: d.serviceCertValidityDuration, valueName: "duration", "Validity of service certificates, a Go duration such as 24h or 1h30m")
        static let prometheusRetentionTime = GoFlag("prometheus-retention-time", .string, default: d.prometheusRetentionTime, valueName: "duration", "How long Prometheus keeps its data")
        static let envoyLogLevel = GoFlag("envoy-log-level", .string, default: d.envoyLogLevel, valueName: "level", "Envoy log level: trace, debug, info, warning, warn, error, critical or off")
        static let enableDebugServer = GoFlag("enable-debug-server", .bool, default: String(d.enableDebugServer), "Run the debug HTTP server")
        static let enablePermissiveTrafficPolicy = GoFlag("enable-permissive-traffic-policy", .bool, default: String(d.enablePermissiveTrafficPolicy), "Allow traffic between all services in the mesh, without SMI policies")
        static let enableEgress = GoFlag("enable-egress", .bool, default: String(d.enableEgress), "Let the mesh's pods reach destinations outside the mesh")
        static let deployPrometheus = GoFlag("deploy-prometheus", .bool, default: String(d.deployPrometheus), "Deploy Prometheus")
        static let enablePrometheusScraping = GoFlag("enable-prometheus-scraping", .bool, default: String(d.enablePrometheusScraping), "Let Prometheus scrape the sidecar proxies' metrics")
        static let deployGrafana = GoFlag("deploy-grafana", .bool, default: String(d.deployGrafana), "Deploy Grafana")
        static let enableFluentbit = GoFlag("enable-fluentbit", .bool, default: String(d.enableFluentbit), "Deploy a Fluent Bit sidecar with the controller")
        static let deployJaeger = GoFlag("deploy-jaeger", .bool, default: String(d.deployJaeger), "Deploy Jaeger in the control plane namespace")
        static let enforceSingleMesh = GoFlag("enforce-single-mesh", .bool, default: String(d.enforceSingleMesh), "Refuse any other mesh in this cluster")
        static let timeout = GoFlag("timeout", .duration, default: Install.defaultTimeout.description, "How long to wait for the control plane to be ready, a Go duration; 0 waits as long as it takes")
        static let atomic = GoFlag("atomic", .bool, default: "false", "Remove what this run created if the install fails or is interrupted")
        static let resume = GoFlag("resume", .bool, default: "false", "Finish a partial install of this mesh (same flags): create only the objects that are missing")
        static let set = GoFlag("set", .stringArray, valueName: "key=value", "Chart values no flag covers: key=value, several separated by commas; repeatable (e.g. OpenServiceMesh.osmcontroller.resource.limits.cpu=2)")
        static let dryRun = GoFlag("dry-run", .bool, default: "false", "Print the objects that would be created instead of creating them")
        static let output = GoFlag("output", "o", .string, valueName: "format", describedDefault: DryRunFormat.yaml.rawValue, "Format of --dry-run's output: yaml or json")
    }

    static let flags: [GoFlag] = [
        Flags.meshName, Flags.containerRegistry, Flags.containerRegistrySecret, Flags.osmImageTag, Flags.osmImagePullPolicy,
        Flags.osmChartPath, Flags.certificateManager, Flags.vaultHost, Flags.vaultProtocol, Flags.vaultToken, Flags.vaultRole,
        Flags.certManagerIssuerName, Flags.certManagerIssuerKind, Flags.certManagerIssuerGroup, Flags.serviceCertValidityDuration,
        Flags.prometheusRetentionTime, Flags.envoyLogLevel, Flags.enableDebugServer, Flags.enablePermissiveTrafficPolicy,
        Flags.enableEgress, Flags.deployPrometheus, Flags.enablePrometheusScraping, Flags.deployGrafana, Flags.enableFluentbit,
        Flags.deployJaeger, Flags.enforceSingleMesh, Flags.timeout, Flags.atomic, Flags.resume, Flags.set, Flags.dryRun, Flags.output,
    ]
    /// install.go declares no Args: stray words are ignored, as cobra's legacy rule does.
    static let positionalArgs: CobraArgs? = nil

    @OptionGroup var cluster: ClusterOptions
    @Option(Flags.meshName) var meshName: String
    @Option(Flags.containerRegistry) var containerRegistry: String
    @Option(Flags.containerRegistrySecret) var containerRegistrySecret: String
    @Option(Flags.osmImageTag) var osmImageTag: String
    @Option(Flags.osmImagePullPolicy) var osmImagePullPolicy: String
    @Option(Flags.osmChartPath) var osmChartPath: String?
    @Option(Flags.certificateManager) var certificateManager: String
    @Option(Flags.vaultHost) var vaultHost: String
    @Option(Flags.vaultProtocol) var vaultProtocol: String
    @Option(Flags.vaultToken) var vaultToken: String
    @Option(Flags.vaultRole) var vaultRole: String
    @Option(Flags.certManagerIssuerName) var certManagerIssuerName: String
    @Option(Flags.certManagerIssuerKind) var certManagerIssuerKind: String
    @Option(Flags.certManagerIssuerGroup) var certManagerIssuerGroup: String
    @Option(Flags.serviceCertValidityDuration) var serviceCertValidityDuration: String
    @Option(Flags.prometheusRetentionTime) var prometheusRetentionTime: String
    @Option(Flags.envoyLogLevel) var envoyLogLevel: String
    @Option(Flags.enableDebugServer) var enableDebugServer: Bool
    @Option(Flags.enablePermissiveTrafficPolicy) var enablePermissiveTrafficPolicy: Bool
    @Option(Flags.enableEgress) var enableEgress: Bool
    @Option(Flags.deployPrometheus) var deployPrometheus: Bool
    @Option(Flags.enablePrometheusScraping) var enablePrometheusScraping: Bool
    @Option(Flags.deployGrafana) var deployGrafana: Bool
    @Option(Flags.enableFluentbit) var enableFluentbit: Bool
    @Option(Flags.deployJaeger) var deployJaeger: Bool
    @Option(Flags.enforceSingleMesh) var enforceSingleMesh: Bool
    @Option(Flags.timeout) var timeout: GoDuration
    @Option(Flags.atomic) var atomic: Bool
    @Option(Flags.resume) var resume: Bool
    @Option(Flags.set) var setValues: [String]
    @Option(Flags.dryRun) var dryRun: Bool
    @Option(Flags.output) var output: DryRunFormat?

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        meshName = p.string(Flags.meshName)
        containerRegistry = p.string(Flags.containerRegistry)
        containerRegistrySecret = p.string(Flags.containerRegistrySecret)
        osmImageTag = p.string(Flags.osmImageTag)
        osmImagePullPolicy = p.string(Flags.osmImagePullPolicy)
        // Upstream's default is "" (the built-in chart): an empty value is not a chart path.
        osmChartPath = p.string(Flags.osmChartPath).isEmpty ? nil : p.string(Flags.osmChartPath)
        certificateManager = p.string(Flags.certificateManager)
        vaultHost = p.string(Flags.vaultHost)
        vaultProtocol = p.string(Flags.vaultProtocol)
        vaultToken = p.string(Flags.vaultToken)
        vaultRole = p.string(Flags.vaultRole)
        certManagerIssuerName = p.string(Flags.certManagerIssuerName)
        certManagerIssuerKind = p.string(Flags.certManagerIssuerKind)
        certManagerIssuerGroup = p.string(Flags.certManagerIssuerGroup)
        serviceCertValidityDuration = p.string(Flags.serviceCertValidityDuration)
        prometheusRetentionTime = p.string(Flags.prometheusRetentionTime)
        envoyLogLevel = p.string(Flags.envoyLogLevel)
        enableDebugServer = p.bool(Flags.enableDebugServer)
        enablePermissiveTrafficPolicy = p.bool(Flags.enablePermissiveTrafficPolicy)
        enableEgress = p.bool(Flags.enableEgress)
        deployPrometheus = p.bool(Flags.deployPrometheus)
        enablePrometheusScraping = p.bool(Flags.enablePrometheusScraping)
        deployGrafana = p.bool(Flags.deployGrafana)
        enableFluentbit = p.bool(Flags.enableFluentbit)
        deployJaeger = p.bool(Flags.deployJaeger)
        enforceSingleMesh = p.bool(Flags.enforceSingleMesh)
        timeout = p.duration(Flags.timeout)
        atomic = p.bool(Flags.atomic)
        resume = p.bool(Flags.resume)
        setValues = p.list(Flags.set)
        dryRun = p.bool(Flags.dryRun)
        output = try p.ifGiven(Flags.output, p.string).map { try DryRunFormat.parse($0, flag: Flags.output) }
    }

    /// The format `--dry-run` prints in.
    var dryRunFormat: DryRunFormat { output ?? .yaml }

    func validate() throws {
        if osmChartPath != nil {
            throw ValidationError(
                "--osm-chart-path is not supported: this osm has no Helm and renders its built-in OSM v0.8.4 chart; set chart values with --set key=value")
        }
        if output != nil, !dryRun {
            throw ValidationError("-o/--output only applies to --dry-run")
        }
        guard timeout.nanoseconds >= 0 else { throw ValidationError("--timeout cannot be negative") }
    }

    func run() throws {
        var values = InstallValues()
        values.meshName = meshName
        values.enableEgress = enableEgress
        values.enablePermissiveTrafficPolicy = enablePermissiveTrafficPolicy
        values.enableDebugServer = enableDebugServer
        values.enablePrometheusScraping = enablePrometheusScraping
        values.deployPrometheus = deployPrometheus
        values.deployGrafana = deployGrafana
        values.deployJaeger = deployJaeger
        values.enableFluentbit = enableFluentbit
        values.enforceSingleMesh = enforceSingleMesh
        values.envoyLogLevel = envoyLogLevel
        values.certificateManager = certificateManager
        values.vaultHost = vaultHost
        values.vaultProtocol = vaultProtocol
        values.vaultToken = vaultToken
        values.vaultRole = vaultRole
        values.certManagerIssuerName = certManagerIssuerName
        values.certManagerIssuerKind = certManagerIssuerKind
        values.certManagerIssuerGroup = certManagerIssuerGroup
        values.serviceCertValidityDuration = serviceCertValidityDuration
        values.prometheusRetentionTime = prometheusRetentionTime
        values.containerRegistry = containerRegistry
        values.osmImageTag = osmImageTag
        values.osmImagePullPolicy = osmImagePullPolicy
        values.containerRegistrySecret = containerRegistrySecret
        values.sets = setValues
        var install = Install(values: values, namespace: cluster.osmNamespace, timeout: timeout, atomic: atomic)
        install.resume = resume

        if dryRun {
            let objects = try install.manifest()
            switch dryRunFormat {
            case .yaml: print(YAML.emitDocuments(objects), terminator: "")
            case .json:
                let list: JSONValue = ["apiVersion": "v1", "kind": "List", "items": .array(objects)]
                print(list.jsonString(pretty: true))
            }
            return
        }
        // SIGINT/SIGTERM stop the install through its own error paths (rollback with --atomic,
        // a list of what is left without), never by killing it between two writes.
        let interruption = Interruption.shared
        interruption.watch()
        install.interruption = interruption
        let progress = InstallProgress()
        interruption.onSignal { sig, count in
            if count == 1 {
                progress.finish()
                StandardError.write(atomic
                    ? "Interrupted: rolling back what this install created (interrupt again to stop the rollback)\n"
                    : "Interrupted: stopping\n")
            } else if !atomic {
                Glibc.exit(128 + sig)
            }
        }
        // No single request may outlast --timeout (nor take over 30s) on a server that stops answering.
        let client = try cluster.makeClient(
            defaultRequestTimeout: timeout.isZero ? ClientOptions.defaultRequestTimeout : min(timeout.seconds, ClientOptions.defaultRequestTimeout),
            interruption: interruption)
        defer { progress.finish() }
        let result: Install.Summary
        do {
            result = try install.run(client: client, notice: { print($0) }, progress: progress.report)
        } catch let failure as Install.Failure {
            progress.finish()
            guard let sig = failure.signal ?? interruption.firstSignal else { throw failure.error }
            StandardError.write("Error: \(failure.message)\n")
            Glibc.exit(128 + sig)
        } catch {
            // Stopped before it created anything (e.g. in its checks): still the signal's exit code.
            guard let sig = interruption.firstSignal, let failure = CLIError.runtimeFailure(error) else { throw error }
            progress.finish()
            StandardError.write("Error: \(CLIError.message(for: failure))\n")
            Glibc.exit(128 + sig)
        }
        progress.finish()
        print(result.message)
    }
}
