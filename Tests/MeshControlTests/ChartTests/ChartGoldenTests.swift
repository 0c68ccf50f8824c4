import XCTest
import ObjectModel
import YAMLCodec

@testable import MeshControl

/// Golden files: the rendered manifest of each scenario, as the YAML stream `osm install --dry-run`
/// prints, compared byte for byte with `Golden/<name>.yaml` next to this file.
///
/// To regenerate after an intended change, run
///     OSM_UPDATE_GOLDEN=1 swift test --filter MeshControlTests.ChartGoldenTests
/// then review the diff (`git diff Tests/MeshControlTests/ChartTests/Golden`) before committing.
final class ChartGoldenTests: XCTestCase {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    func assertGolden(
        _ name: String, namespace: String = "osm-system", file: StaticString = #filePath, line: UInt = #line,
        _ configure: (inout InstallValues) -> Void
    ) throws {
        var install = InstallValues()
        configure(&install)
        XCTAssertNoThrow(try install.validate(), file: file, line: line)
        let objects = try ControlPlaneManifest.render(values: install.chartValues(), namespace: namespace)
        let rendered = YAML.emitDocuments(objects)
        let url = Self.goldenDirectory.appendingPathComponent("\(name).yaml")

        if ProcessInfo.processInfo.environment["OSM_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try rendered.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing golden file \(url.path); run with OSM_UPDATE_GOLDEN=1 to create it", file: file, line: line)
            return
        }
        if rendered != expected {
            let a = rendered.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            XCTFail(
                "\(name): rendering differs from \(url.lastPathComponent) at line \(first + 1):\n"
                    + "  got:      \(first < a.count ? String(a[first]) : "<end>")\n"
                    + "  expected: \(first < b.count ? String(b[first]) : "<end>")\n"
                    + "(OSM_UPDATE_GOLDEN=1 regenerates)",
                file: file, line: line)
        }
        // The stream reads back as the very objects rendered.
        XCTAssertEqual(try YAML.parseDocuments(rendered), objects, file: file, line: line)
    }

    func testDefaults() throws { try assertGolden("defaults") { _ in } }

    func testEgress() throws { try assertGolden("egress") { $0.enableEgress = true } }

    func testVault() throws {
        try assertGolden("vault") {
            $0.certificateManager = "vault"
            $0.vaultHost = "vault.vault-system.svc.cluster.local"
            $0.vaultProtocol = "https"
            $0.vaultToken = "s3cr3t-token"
            $0.vaultRole = "osm-role"
        }
    }

    func testCertManager() throws {
        try assertGolden("cert-manager") {
            $0.certificateManager = "cert-manager"
            $0.certManagerIssuerName = "mesh-ca"
            $0.certManagerIssuerKind = "ClusterIssuer"
        }
    }

    func testFluentBitWithProxy() throws {
        try assertGolden("fluentbit-proxy") {
            $0.enableFluentbit = true
            $0.sets = [
                "OpenServiceMesh.fluentBit.enableProxySupport=true",
                "OpenServiceMesh.fluentBit.httpProxy=http://proxy.corp:3128,OpenServiceMesh.fluentBit.httpsProxy=http://proxy.corp:3129",
            ]
        }
    }

    func testPrometheusGrafanaJaeger() throws {
        try assertGolden("prometheus-grafana-jaeger") {
            $0.deployPrometheus = true
            $0.deployGrafana = true
            $0.deployJaeger = true
            $0.prometheusRetentionTime = "7d"
        }
    }

    func testEnforceSingleMesh() throws {
        try assertGolden("enforce-single-mesh", namespace: "mesh-system") {
            $0.meshName = "prod-mesh"
            $0.enforceSingleMesh = true
        }
    }

    func testRegistrySecret() throws {
        try assertGolden("registry-secret") {
            $0.containerRegistry = "myregistry.azurecr.io/osm"
            $0.osmImageTag = "v0.8.4-hotfix"
            $0.osmImagePullPolicy = "Always"
            $0.containerRegistrySecret = "acr-creds"
        }
    }

    func testTracing() throws {
        try assertGolden("tracing") {
            $0.deployJaeger = true
            $0.sets = ["OpenServiceMesh.tracing.enable=true"]
        }
    }

    func testOutboundIPRangeExclusions() throws {
        try assertGolden("outbound-ip-exclusions") {
            $0.sets = ["OpenServiceMesh.outboundIPRangeExclusionList={10.0.0.0/8,172.16.0.0/12,169.254.169.254/32}"]
        }
    }
}
