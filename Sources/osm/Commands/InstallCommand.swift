import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import YAML
import OSM
import KubeClient

/// `osm install`: creates a control plane.
struct InstallCommand: ParsableCommand {
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

    @OptionGroup var cluster: ClusterOptions

    @Option(help: ArgumentHelp("Name of the new control plane, unique in the cluster", valueName: "name"))
    var meshName: String = InstallValues.defaults.meshName

    @Option(help: ArgumentHelp("Container registry that hosts the control plane images", valueName: "registry"))
    var containerRegistry: String = InstallValues.defaults.containerRegistry

    @Option(help: ArgumentHelp(
        "Name of the Kubernetes Secret with the registry's credentials, created if missing (default: none)",
        valueName: "name"))
    var containerRegistrySecret: String = InstallValues.defaults.containerRegistrySecret

    @Option(help: ArgumentHelp("Tag of the control plane images", valueName: "tag"))
    var osmImageTag: String = InstallValues.defaults.osmImageTag

    @Option(help: ArgumentHelp("Pull policy of the control plane images", valueName: "policy"))
    var osmImagePullPolicy: String = InstallValues.defaults.osmImagePullPolicy

    @Option(help: ArgumentHelp("Not supported: this osm renders the built-in v0.8.4 chart without Helm; use --set for chart values", valueName: "path"))
    var osmChartPath: String?

    @Option(help: ArgumentHelp("Certificate manager: tresor, vault or cert-manager", valueName: "name"))
    var certificateManager: String = InstallValues.defaults.certificateManager

    @Option(help: ArgumentHelp("Host of the Hashicorp Vault service (default: none; needed with vault)", valueName: "host"))
    var vaultHost: String = InstallValues.defaults.vaultHost

    @Option(help: ArgumentHelp("Protocol to reach Vault", valueName: "protocol"))
    var vaultProtocol: String = InstallValues.defaults.vaultProtocol

    @Option(help: ArgumentHelp("Token to authenticate to Vault (default: none; needed with vault)", valueName: "token"))
    var vaultToken: String = InstallValues.defaults.vaultToken

    @Option(help: ArgumentHelp("Vault role used by the mesh", valueName: "role"))
    var vaultRole: String = InstallValues.defaults.vaultRole

    @Option(help: ArgumentHelp("cert-manager issuer name", valueName: "name"))
    var certManagerIssuerName: String = InstallValues.defaults.certManagerIssuerName

    @Option(help: ArgumentHelp("cert-manager issuer kind", valueName: "kind"))
    var certManagerIssuerKind: String = InstallValues.defaults.certManagerIssuerKind

    @Option(help: ArgumentHelp("cert-manager issuer group", valueName: "group"))
    var certManagerIssuerGroup: String = InstallValues.defaults.certManagerIssuerGroup

    // Kept as written, for the chart; Install checks its syntax, as upstream does.
    @Option(help: ArgumentHelp("Validity of service certificates, a Go duration such as 24h or 1h30m (default: \(InstallValues.defaults.serviceCertValidityDuration))", valueName: GoDurationValue.valueName))
    var serviceCertValidityDuration: String = InstallValues.defaults.serviceCertValidityDuration

    @Option(help: ArgumentHelp("How long Prometheus keeps its data", valueName: "duration"))
    var prometheusRetentionTime: String = InstallValues.defaults.prometheusRetentionTime

    @Option(help: ArgumentHelp(
        "Envoy log level: trace, debug, info, warning, warn, error, critical or off",
        valueName: "level"))
    var envoyLogLevel: String = InstallValues.defaults.envoyLogLevel

    @Option(help: GoBoolValue.help("Run the debug HTTP server", default: false), transform: GoBoolValue.parse)
    var enableDebugServer: Bool = InstallValues.defaults.enableDebugServer

    @Option(help: GoBoolValue.help("Allow traffic between all services in the mesh, without SMI policies", default: false), transform: GoBoolValue.parse)
    var enablePermissiveTrafficPolicy: Bool = InstallValues.defaults.enablePermissiveTrafficPolicy

    @Option(help: GoBoolValue.help("Let the mesh's pods reach destinations outside the mesh", default: false), transform: GoBoolValue.parse)
    var enableEgress: Bool = InstallValues.defaults.enableEgress

    @Option(help: GoBoolValue.help("Deploy Prometheus", default: false), transform: GoBoolValue.parse)
    var deployPrometheus: Bool = InstallValues.defaults.deployPrometheus

    @Option(help: GoBoolValue.help("Let Prometheus scrape the sidecar proxies' metrics", default: true), transform: GoBoolValue.parse)
    var enablePrometheusScraping: Bool = InstallValues.defaults.enablePrometheusScraping

    @Option(help: GoBoolValue.help("Deploy Grafana", default: false), transform: GoBoolValue.parse)
    var deployGrafana: Bool = InstallValues.defaults.deployGrafana

    @Option(help: GoBoolValue.help("Deploy a Fluent Bit sidecar with the controller", default: false), transform: GoBoolValue.parse)
    var enableFluentbit: Bool = InstallValues.defaults.enableFluentbit

    @Option(help: GoBoolValue.help("Deploy Jaeger in the control plane namespace", default: false), transform: GoBoolValue.parse)
    var deployJaeger: Bool = InstallValues.defaults.deployJaeger

    @Option(help: GoBoolValue.help("Refuse any other mesh in this cluster", default: false), transform: GoBoolValue.parse)
    var enforceSingleMesh: Bool = InstallValues.defaults.enforceSingleMesh

    @Option(
        help: ArgumentHelp("How long to wait for the control plane to be ready, a Go duration; 0 waits as long as it takes (default: \(Install.defaultTimeout))", valueName: GoDurationValue.valueName),
        transform: GoDurationValue.parse)
    var timeout: GoDuration = Install.defaultTimeout

    @Option(help: GoBoolValue.help("Remove what this run created if the install fails or is interrupted", default: false), transform: GoBoolValue.parse)
    var atomic: Bool = false

    @Option(help: GoBoolValue.help("Finish a partial install of this mesh (same flags): create only the objects that are missing", default: false), transform: GoBoolValue.parse)
    var resume: Bool = false

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Chart values no flag covers: key=value, several separated by commas; repeatable (e.g. OpenServiceMesh.osmcontroller.resource.limits.cpu=2)",
            valueName: "key=value"))
    var setValues: [String] = []

    @Option(help: GoBoolValue.help("Print the objects that would be created instead of creating them", default: false), transform: GoBoolValue.parse)
    var dryRun: Bool = false

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Format of --dry-run's output: yaml or json (default: yaml)", valueName: "format"))
    var output: DryRunFormat?

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
        let result: Install.Result
        do {
            result = try install.run(client: client, notice: { print($0) }, progress: progress.report)
        } catch let failure as Install.Failure {
            progress.finish()
            guard let sig = failure.signal ?? interruption.firstSignal else { throw failure.error }
            StandardError.write("Error: \(failure.message)\n")
            Glibc.exit(128 + sig)
        }
        progress.finish()
        print(result.message)
    }
}
