import KubeClient
import XCTest
import ObjectModel

@testable import MeshControl

/// Upstream's `mesh upgrade` re-renders the chart with each flag's value: render before and after
/// every upgrade flag, with every add-on on, and check that `mesh upgrade` moves each object the
/// re-render changes (osm-config by its patch, the images by `imagePatches`, the rest by
/// `UpgradeRerenderedObjects`).
final class ChartRerenderTests: XCTestCase {
    typealias ObjectKey = String

    func base() throws -> JSONValue {
        var install = InstallValues()
        install.deployPrometheus = true
        install.deployGrafana = true
        install.deployJaeger = true
        install.enableFluentbit = true
        install.sets = ["OpenServiceMesh.tracing.enable=true"]
        return try install.chartValues()
    }

    func rendered(_ values: JSONValue) throws -> [ObjectKey: JSONValue] {
        var out: [ObjectKey: JSONValue] = [:]
        for o in try ControlPlaneManifest.render(values: values, namespace: "osm-system") {
            out["\(o["kind"]?.stringValue ?? "")/\(o[path: "metadata", "name"]?.stringValue ?? "")"] = o
        }
        return out
    }

    /// The chart values after upstream's `resolveValues`: the flags' values over the installed ones.
    func upgraded(_ base: JSONValue, _ upgrade: MeshUpgrade) -> JSONValue {
        let record = HelmRelease(name: "osm", info: .init(firstDeployed: "", lastDeployed: "", description: "", status: .deployed),
                                 chart: HelmChartRecord.osm, config: base, manifest: "", version: 1, namespace: "osm-system")
        return ValuesCoalescer.coalesce(user: upgrade.helmOverrides(base: record), defaults: base)
    }

    /// Every flag of `osm mesh upgrade` that reaches the chart values, each to a value other
    /// than the installed one; the image flags are checked apart (upstream always sends them).
    static let flags: [(String, @Sendable (inout MeshUpgrade) -> Void)] = [
        ("--enable-permissive-traffic-policy", { $0.enablePermissiveTrafficPolicy = true }),
        ("--enable-egress", { $0.enableEgress = true }),
        ("--enable-debug-server", { $0.enableDebugServer = true }),
        ("--envoy-log-level", { $0.envoyLogLevel = "debug" }),
        ("--enable-prometheus-scraping", { $0.enablePrometheusScraping = false }),
        ("--use-https-ingress", { $0.useHTTPSIngress = true }),
        ("--service-cert-validity-duration", { $0.serviceCertValidityDuration = GoDuration(nanoseconds: 3_600_000_000_000) }),
        ("--enable-tracing", { $0.enableTracing = false }),
        ("--tracing-address", { $0.tracingAddress = "zipkin.tracing.svc.cluster.local" }),
        ("--tracing-port", { $0.tracingPort = 9412 }),
        ("--tracing-endpoint", { $0.tracingEndpoint = "/api/v1/spans" }),
        ("--outbound-ip-range-exclusion-list", { $0.outboundIPRangeExclusionList = ["10.0.0.0/8"] }),
        ("--enable-privileged-init-container", { $0.enablePrivilegedInitContainer = true }),
        ("--container-registry", { $0.containerRegistry = "registry.example/osm" }),
        ("--osm-image-tag", { $0.osmImageTag = "v0.8.5" }),
    ]

    /// What the re-render changes besides osm-config, per flag: only the images and Jaeger.
    func testOnlyTheImagesAndJaegerMoveBesidesOSMConfig() throws {
        let base = try base()
        let before = try rendered(base)
        XCTAssertNotNil(before["Deployment/jaeger"])
        let expected: [String: Set<ObjectKey>] = [
            "--tracing-port": ["Deployment/jaeger", "Service/jaeger"],
            "--container-registry": ["Deployment/osm-controller", "Deployment/osm-injector"],
            "--osm-image-tag": ["Deployment/osm-controller", "Deployment/osm-injector"],
        ]
        for (flag, set) in Self.flags {
            var upgrade = MeshUpgrade()
            set(&upgrade)
            let after = try rendered(upgraded(base, upgrade))
            XCTAssertEqual(Set(after.keys), Set(before.keys), flag)
            let changed = Set(after.keys.filter { after[$0] != before[$0] && $0 != "ConfigMap/osm-config" })
            XCTAssertEqual(changed, expected[flag] ?? [], flag)
            // Every flag but the images' sets an osm-config key (the flag really moved a value).
            let movesConfig = after["ConfigMap/osm-config"] != before["ConfigMap/osm-config"]
            XCTAssertEqual(movesConfig, !flag.hasPrefix("--container-registry") && !flag.hasPrefix("--osm-image-tag"), flag)
        }
    }

    /// `UpgradeRerenderedObjects` patches Jaeger into exactly the re-rendered form.
    func testJaegerPatchesGiveTheRerenderedObjects() throws {
        let base = try base()
        let before = try rendered(base)
        var upgrade = MeshUpgrade()
        upgrade.tracingPort = 9412
        let after = try rendered(upgraded(base, upgrade))
        let r = try UpgradeRerenderedObjects(tracingPort: 9412, meshName: "osm", namespace: "osm-system", deployed: before["Deployment/jaeger"]!)
        XCTAssertEqual(r.patches.map(\.name), ["jaeger", "jaeger"])
        XCTAssertEqual(r.patches.map(\.resource.kind), ["Deployment", "Service"])
        XCTAssertEqual(r.changes, [MeshUpgrade.Change(key: "deployment/jaeger and service/jaeger port", old: "9411", new: "9412")])
        // Merge patches: each list given replaces the object's whole list.
        XCTAssertEqual(r.patches[0].body[path: "spec", "template", "spec", "containers"],
                       after["Deployment/jaeger"]?[path: "spec", "template", "spec", "containers"])
        XCTAssertEqual(r.patches[1].body[path: "spec", "ports"], after["Service/jaeger"]?[path: "spec", "ports"])
        XCTAssertEqual(r.patches[1].body.objectValue?.keys, ["spec"])
        XCTAssertEqual(r.patches[1].body["spec"]?.objectValue?.keys, ["ports"])

        // Already there, another mesh's Jaeger, or not a Jaeger: nothing to patch.
        for (port, mesh, deployed) in [(9411, "osm", before["Deployment/jaeger"]!), (9412, "osm", after["Deployment/jaeger"]!),
                                       (9412, "other", before["Deployment/jaeger"]!), (9412, "osm", before["Deployment/osm-controller"]!)] {
            XCTAssertTrue(try UpgradeRerenderedObjects(tracingPort: port, meshName: mesh, namespace: "osm-system", deployed: deployed)
                .patches.isEmpty, "\(port) \(mesh)")
        }
        // No port given: nothing read, nothing moved; no Jaeger (NotFound): nothing moved.
        XCTAssertTrue(try UpgradeRerenderedObjects(tracingPort: nil, meshName: "osm", namespace: "osm-system",
                                                   answers: [.success(before["Deployment/jaeger"]!)]).patches.isEmpty)
        let notFound = KubeError(.notFound, "deployments.apps \"jaeger\" not found")
        XCTAssertTrue(try UpgradeRerenderedObjects(tracingPort: 9412, meshName: "osm", namespace: "osm-system",
                                                   answers: [.failure(notFound)]).patches.isEmpty)
        XCTAssertThrowsError(try UpgradeRerenderedObjects(tracingPort: 9412, meshName: "osm", namespace: "osm-system",
                                                          answers: [.failure(KubeError(.forbidden, "no"))]))
    }
}
