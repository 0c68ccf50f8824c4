import KubeClient
import ObjectModel

/// The settings of one `osm install`: a property per upstream flag (with upstream's default)
/// and the `--set` arguments, turned into the chart's values the way upstream's CLI does.
package struct InstallValues: Sendable {
    package var meshName = MeshConstants.defaultMeshName
    package var enableEgress = false
    package var enablePermissiveTrafficPolicy = false
    package var enableDebugServer = false
    package var enablePrometheusScraping = true
    package var deployPrometheus = false
    package var deployGrafana = false
    package var deployJaeger = false
    package var enableFluentbit = false
    package var enforceSingleMesh = false
    package var envoyLogLevel = "error"
    package var certificateManager = "tresor"
    package var vaultHost = ""
    package var vaultProtocol = "http"
    package var vaultToken = ""
    package var vaultRole = ChartDefaults.vaultRole
    package var certManagerIssuerName = "osm-ca"
    package var certManagerIssuerKind = "Issuer"
    package var certManagerIssuerGroup = "cert-manager.io"
    package var serviceCertValidityDuration = "24h"
    package var prometheusRetentionTime = "15d"
    package var containerRegistry = ChartDefaults.containerRegistry
    package var osmImageTag = ChartDefaults.appVersion
    package var osmImagePullPolicy = "IfNotPresent"
    package var containerRegistrySecret = ""
    /// Each `--set` argument, in the order given.
    package var sets: [String] = []

    package init() {}

    /// Upstream's flag defaults, which `osm install`'s flags take: the one place they are written.
    package static let defaults = InstallValues()

    package static let envoyLogLevels = ["trace", "debug", "info", "warning", "warn", "error", "critical", "off"]

    /// Every check that needs no cluster, in upstream's order: mesh name, Vault arguments,
    /// Envoy log level, certificate validity, then the `--set` syntax and the chart's schema.
    /// Upstream runs its cluster checks between the Vault and the log-level checks; an install
    /// that wants the same precedence calls `validateBeforeClusterChecks()`, its cluster checks,
    /// then `validateAfterClusterChecks()`.
    @discardableResult
    package func validate() throws(OSMError) -> Resolved {
        try validateBeforeClusterChecks()
        return try validateAfterClusterChecks()
    }

    /// Mesh name (a valid label value), then the Vault connection arguments.
    package func validateBeforeClusterChecks() throws(OSMError) {
        if !KubernetesNames.isLabelValue(meshName) {
            throw OSMError(.invalidInput, Self.invalidMeshNameMessage)
        }
        if certificateManager.lowercased() == "vault" {
            var missing: [String] = []
            if vaultHost.isEmpty { missing.append("vault-host") }
            if vaultToken.isEmpty { missing.append("vault-token") }
            if !missing.isEmpty {
                throw OSMError(.invalidInput, "Missing arguments for certificate-manager vault: [\(missing.joined(separator: " "))]")
            }
        }
    }

    /// Envoy log level, certificate validity duration, then the values themselves
    /// (`--set` syntax, the chart's schema), as Helm would reject them.
    /// Returns the values `resolve()` gives; `resolved` is its outcome when the caller already
    /// has it, so that the values are parsed and checked once.
    @discardableResult
    package func validateAfterClusterChecks(_ resolved: Swift.Result<Resolved, OSMError>? = nil) throws(OSMError) -> Resolved {
        if !Self.envoyLogLevels.contains(envoyLogLevel.lowercased()) {
            throw OSMError(.invalidInput, Self.invalidEnvoyLogLevelMessage)
        }
        do {
            _ = try GoDuration(parsing: serviceCertValidityDuration)
        } catch {
            throw OSMError(.invalidInput, error.description)
        }
        return try (resolved ?? Swift.Result { () throws(OSMError) in try resolve() }).get()
    }

    /// Upstream's text (cmd/cli/install.go `isValidMeshName`), lines and all.
    package static let invalidMeshNameMessage = """
        Invalid mesh-name.
        Valid mesh-name:
        - must be no longer than 63 characters
        - must consist of alphanumeric characters, '-', '_' or '.'
        - must start and end with an alphanumeric character
        regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'
        """

    /// Upstream's text (cmd/cli/install.go `isValidEnvoyLogLevel`), with its leading space.
    package static let invalidEnvoyLogLevelMessage =
        "Invalid envoy log level.\n A valid envoy log level must be one from the following : [\(envoyLogLevels.joined(separator: " "))]"

    /// Upstream's notices that do not stop an install (printed on stdout upstream).
    package func warnings(namespace: String) -> [String] {
        guard deployPrometheus, !enablePrometheusScraping else { return [] }
        return ["Prometheus scraping is disabled. To enable it, set prometheus_scraping in \(namespace)/osm-config to true."]
    }

    /// The values the chart renders with: the chart's defaults, overridden by the `--set`
    /// arguments, overridden by the flags (upstream applies the flags last, so a `--set` of a
    /// key a flag owns has no effect), merged as Helm merges them and checked against the
    /// chart's schema.
    package func chartValues() throws(OSMError) -> JSONValue { try resolve().chart }

    /// The values as given (`userValues`, what a Helm record stores as `config`) and coalesced
    /// over the chart's defaults (what the templates render), checked against the chart's schema.
    package struct Resolved: Sendable {
        package let user: JSONValue
        package let chart: JSONValue
    }

    package func resolve() throws(OSMError) -> Resolved {
        let user = try userValues()
        let values = ValuesCoalescer.coalesce(user: user, defaults: ChartDefaults.values)
        let problems = ValuesSchema.chart.violations(of: values)
        if !problems.isEmpty {
            throw OSMError(.invalidInput,
                "values don't meet the specifications of the schema(s) in the following chart(s):\n"
                    + "\(ChartDefaults.chartName):\n" + problems.map { "- \($0)" }.joined(separator: "\n"))
        }
        return Resolved(user: user, chart: values)
    }

    /// The values upstream hands Helm (and Helm stores as the release's `config`): the `--set`
    /// arguments, then the flags, parsed as strvals into one map.
    package func userValues() throws(OSMError) -> JSONValue {
        var user: JSONValue = .object(JSONObject())
        for set in sets {
            do {
                try Strvals.parse(into: &user, set)
            } catch {
                throw OSMError(.invalidInput, "invalid format for --set: \(error.message)")
            }
        }
        for set in flagAssignments {
            try Strvals.parse(into: &user, set)
        }
        return user
    }

    /// The flags as upstream writes them for Helm: `key=value` strvals lines, so their values are
    /// typed (and escaped) exactly as `--set` would type them.
    var flagAssignments: [String] {
        var lines = [
            "OpenServiceMesh.image.registry=\(containerRegistry)",
            "OpenServiceMesh.image.tag=\(osmImageTag)",
            "OpenServiceMesh.image.pullPolicy=\(osmImagePullPolicy)",
            "OpenServiceMesh.certificateManager=\(certificateManager)",
            "OpenServiceMesh.vault.host=\(vaultHost)",
            "OpenServiceMesh.vault.protocol=\(vaultProtocol)",
            "OpenServiceMesh.vault.token=\(vaultToken)",
            "OpenServiceMesh.vault.role=\(vaultRole)",
            "OpenServiceMesh.certmanager.issuerName=\(certManagerIssuerName)",
            "OpenServiceMesh.certmanager.issuerKind=\(certManagerIssuerKind)",
            "OpenServiceMesh.certmanager.issuerGroup=\(certManagerIssuerGroup)",
            "OpenServiceMesh.serviceCertValidityDuration=\(serviceCertValidityDuration)",
            "OpenServiceMesh.prometheus.retention.time=\(prometheusRetentionTime)",
            "OpenServiceMesh.enableDebugServer=\(enableDebugServer)",
            "OpenServiceMesh.enablePermissiveTrafficPolicy=\(enablePermissiveTrafficPolicy)",
            "OpenServiceMesh.deployPrometheus=\(deployPrometheus)",
            "OpenServiceMesh.enablePrometheusScraping=\(enablePrometheusScraping)",
            "OpenServiceMesh.deployGrafana=\(deployGrafana)",
            "OpenServiceMesh.enableFluentbit=\(enableFluentbit)",
            "OpenServiceMesh.meshName=\(meshName)",
            "OpenServiceMesh.enableEgress=\(enableEgress)",
            "OpenServiceMesh.deployJaeger=\(deployJaeger)",
            "OpenServiceMesh.envoyLogLevel=\(envoyLogLevel.lowercased())",
            "OpenServiceMesh.enforceSingleMesh=\(enforceSingleMesh)",
        ]
        if !containerRegistrySecret.isEmpty {
            lines.append("OpenServiceMesh.imagePullSecrets[0].name=\(containerRegistrySecret)")
        }
        return lines
    }
}
