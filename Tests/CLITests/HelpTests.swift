import XCTest

/// `--help` lists every upstream flag with its default.
final class HelpTests: XCTestCase {
    /// Upstream v0.8.4 `osm install` flags and their defaults as our help prints them
    /// (nil: no default to show).
    static let installFlags: [(String, String?)] = [
        ("--mesh-name", "osm"),
        ("--enable-egress", "false"),
        ("--enable-permissive-traffic-policy", "false"),
        ("--enable-debug-server", "false"),
        ("--enable-prometheus-scraping", "true"),
        ("--deploy-prometheus", "false"),
        ("--deploy-grafana", "false"),
        ("--deploy-jaeger", "false"),
        ("--enable-fluentbit", "false"),
        ("--enforce-single-mesh", "false"),
        ("--envoy-log-level", "error"),
        ("--certificate-manager", "tresor"),
        ("--vault-host", "none"),
        ("--vault-protocol", "http"),
        ("--vault-token", "none"),
        ("--vault-role", "openservicemesh"),
        ("--cert-manager-issuer-name", "osm-ca"),
        ("--cert-manager-issuer-kind", "Issuer"),
        ("--cert-manager-issuer-group", "cert-manager.io"),
        ("--service-cert-validity-duration", "24h"),
        ("--prometheus-retention-time", "15d"),
        ("--container-registry", "openservicemesh"),
        ("--osm-image-tag", "v0.8.4"),
        ("--osm-image-pull-policy", "IfNotPresent"),
        ("--container-registry-secret", "none"),
        ("--timeout", "5m0s"),
        ("--atomic", "false"),
        ("--set", nil),
        ("--osm-chart-path", nil),
    ]

    static let upgradeFlags: [(String, String?)] = [
        ("--mesh-name", "osm"),
        ("--container-registry", "openservicemesh"),
        ("--osm-image-tag", "v0.8.4"),
        ("--osm-chart-path", nil),
    ] + [
        "--enable-egress", "--enable-permissive-traffic-policy", "--enable-debug-server",
        "--envoy-log-level", "--enable-prometheus-scraping", "--use-https-ingress",
        "--service-cert-validity-duration", "--enable-tracing", "--tracing-address",
        "--tracing-port", "--tracing-endpoint", "--outbound-ip-range-exclusion-list",
        "--enable-privileged-init-container",
    ].map { ($0, "unchanged") }

    /// The global options, on every command that talks to a cluster.
    static let clusterFlags: [(String, String?)] = [
        ("--osm-namespace", "$OSM_NAMESPACE if set, else osm-system"),
        ("--kubeconfig", "$KUBECONFIG, else ~/.kube/config, else in-cluster"),
        ("--context", "the current context"),
        ("--request-timeout", "30s"),
        ("--v", "0"),
    ]

    func testInstallHelpListsEveryUpstreamFlagWithItsDefault() throws {
        try assertHelp(["install", "--help"], lists: Self.installFlags + Self.clusterFlags)
    }

    func testMeshUpgradeHelpListsEveryUpstreamFlagWithItsDefault() throws {
        try assertHelp(["mesh", "upgrade", "--help"], lists: Self.upgradeFlags + Self.clusterFlags)
    }

    func testClusterCommandsTakeTheGlobalOptions() throws {
        let commands: [[String]] = [
            ["mesh", "list"], ["mesh", "uninstall"], ["namespace", "add"], ["namespace", "remove"],
            ["namespace", "list"], ["namespace", "ignore"],
        ]
        for command in commands {
            try assertHelp(command + ["--help"], lists: Self.clusterFlags)
        }
        try assertHelp(["mesh", "uninstall", "--help"], lists: [("--mesh-name", "osm"), ("--force", "false")])
        try assertHelp(["namespace", "add", "--help"], lists: [("--mesh-name", "osm"), ("--disable-sidecar-injection", "false")])
        try assertHelp(["namespace", "remove", "--help"], lists: [("--mesh-name", "osm")])
        try assertHelp(["namespace", "list", "--help"], lists: [("--mesh-name", "all meshes"), ("--output", "text")])
        try assertHelp(["mesh", "list", "--help"], lists: [("--output", "text")])
        try assertHelp(["version", "--help"], lists: [("--output", "text")])
        try assertHelp(["env", "--help"], lists: [("--osm-namespace", "$OSM_NAMESPACE if set, else osm-system")])
    }

    func testRootHelpListsCommandsAndGlobalOptions() throws {
        let result = try OSMBinary.run(["--help"])
        XCTAssertEqual(result.status, 0)
        for word in ["install", "mesh", "namespace, ns", "version", "env", "completion"] {
            XCTAssertTrue(result.stdout.contains("  \(word) "), "osm --help lacks \(word)")
        }
        for word in ["--osm-namespace", "osm-system", "$OSM_NAMESPACE", "--kubeconfig", "--context", "--request-timeout", "-v <level>"] {
            XCTAssertTrue(result.stdout.contains(word), "osm --help lacks \(word)")
        }
        let mesh = try OSMBinary.run(["mesh", "--help"])
        XCTAssertTrue(mesh.stdout.contains("uninstall, delete, del"), mesh.stdout)
    }

    func testAliasesReachTheSameCommands() throws {
        // Each alias must dispatch to its command: the same help, naming the command's usage.
        for (alias, canonical, usage) in [(["mesh", "delete"], ["mesh", "uninstall"], "osm mesh uninstall"),
                                          (["mesh", "del"], ["mesh", "uninstall"], "osm mesh uninstall"),
                                          (["ns", "add", "x"], ["namespace", "add"], "osm namespace add"),
                                          (["ns", "list"], ["namespace", "list"], "osm namespace list"),
                                          (["verify", "control-plane-health"], ["verify", "control-plane"], "osm verify control-plane")] {
            let viaAlias = try OSMBinary.run(alias + ["--help"])
            let direct = try OSMBinary.run(canonical + ["--help"])
            XCTAssertEqual(viaAlias.status, 0, "\(alias): \(viaAlias.stderr)")
            XCTAssertEqual(viaAlias.stdout, direct.stdout, "\(alias) is not \(canonical)")
            XCTAssertTrue(viaAlias.stdout.contains("USAGE: \(usage)"), "\(alias): \(viaAlias.stdout)")
        }
        // A word that is no alias does not reach any of them.
        let wrong = try OSMBinary.run(["mesh", "remove", "--help"])
        XCTAssertFalse(wrong.stdout.contains("USAGE: osm mesh uninstall"), wrong.stdout)
    }

    private func assertHelp(_ arguments: [String], lists flags: [(String, String?)], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try OSMBinary.run(arguments)
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        let help = HelpText(result.stdout)
        for (flag, value) in flags {
            guard let text = help.text(for: flag) else {
                XCTFail("`osm \(arguments.joined(separator: " "))` does not list \(flag)", file: file, line: line)
                continue
            }
            if let value {
                XCTAssertTrue(text.contains("default: \(value)"), "\(flag): \(text)", file: file, line: line)
            }
        }
    }
}
