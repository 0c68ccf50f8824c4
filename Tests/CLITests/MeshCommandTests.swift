import KubeSim
import XCTest
import ObjectModel

/// install, mesh upgrade/list/uninstall against kube-sim, state checked through the server.
final class MeshCommandTests: XCTestCase {
    func installed(_ extra: [String] = [], configure: (inout KubeSimOptions) -> Void = { _ in }) throws -> ClusterHarness {
        let h = try ClusterHarness(configure: configure)
        let r = try h.osm(["install"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "OSM installed successfully in namespace [osm-system] with mesh name [osm]\n")
        return h
    }

    func egress(_ h: ClusterHarness) -> String? {
        h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"]?.stringValue
    }

    func testUpgradeFlipsEgressWithEveryBoolSpelling() throws {
        let h = try installed(["--enable-egress"])
        XCTAssertEqual(egress(h), "true")
        for (args, want) in [(["--enable-egress=false"], "false"), (["--enable-egress=true"], "true"),
                             (["--enable-egress=0"], "false"), (["--enable-egress=1"], "true"),
                             (["--enable-egress=F"], "false"), (["--enable-egress"], "true")] {
            let r = try h.osm(["mesh", "upgrade"] + args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "OSM successfully upgraded mesh osm\n", "\(args)")
            XCTAssertEqual(egress(h), want, "\(args)")
        }
    }

    func testUnrelatedUpgradeLeavesEgressAndOtherWritersAlone() throws {
        let h = try installed(["--enable-egress"])
        let generation = h.deployment("osm-controller", in: "osm-system")?[path: "metadata", "generation"]
        let injectorGeneration = h.deployment("osm-injector", in: "osm-system")?[path: "metadata", "generation"]
        // Another client writes a key between two upgrades.
        let other = try h.kubectl(["patch", "configmap", "osm-config", "-n", "osm-system", "-p", #"{"data":{"written_by":"someone-else"}}"#, "--type=merge"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--envoy-log-level", "debug"]).status, 0)
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--enable-egress=false"]).status, 0)
        let data = h.configMap("osm-config", in: "osm-system")?["data"]?.stringMap ?? [:]
        XCTAssertEqual(data["envoy_log_level"], "debug")
        XCTAssertEqual(data["egress"], "false")
        XCTAssertEqual(data["written_by"], "someone-else")
        // Config-only upgrades never restart the control plane.
        XCTAssertEqual(h.deployment("osm-controller", in: "osm-system")?[path: "metadata", "generation"], generation)
        XCTAssertEqual(h.deployment("osm-injector", in: "osm-system")?[path: "metadata", "generation"], injectorGeneration)
        // kubectl's patch and two upgrades, each one PATCH (the bodies are checked in MeshUpgradePatchTests).
        let patches = h.writes.filter { $0.method == "PATCH" && $0.path.hasSuffix("/configmaps/osm-config") }
        XCTAssertEqual(patches.count, 3)
        XCTAssertFalse(h.writes.contains { $0.method == "PUT" }, "no read-modify-write of the whole ConfigMap")
    }

    func testUpgradeWritesNothingWhenNothingChangesAndDryRunChangesNothing() throws {
        let h = try installed(["--enable-egress"])
        h.sim.clearRequestLog()
        let same = try h.osm(["mesh", "upgrade", "--enable-egress=true"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(h.writes.isEmpty, "\(h.writes)")
        let dry = try h.osm(["mesh", "upgrade", "--enable-egress=false", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("egress"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("true") && dry.stdout.contains("false"), dry.stdout)
        XCTAssertTrue(h.writes.isEmpty, "\(h.writes)")
        XCTAssertEqual(egress(h), "true")
    }

    func testUpgradeRejectsBadValuesBeforeAnyRequestAndMissingMesh() throws {
        let h = try installed()
        h.sim.clearRequestLog()
        for args in [["--envoy-log-level", "loud"], ["--service-cert-validity-duration", "1y"], ["--tracing-port", "70000"],
                     ["--outbound-ip-range-exclusion-list", "10.0.0.0/33"], ["--enable-egress=maybe"]] {
            let r = try h.osm(["mesh", "upgrade"] + args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssertTrue(r.stderr.contains("Error"), "\(args): \(r.stderr)")
        }
        XCTAssertTrue(h.sim.requestLog.isEmpty, "\(h.sim.requestLog)")
        let missing = try h.osm(["mesh", "upgrade", "--mesh-name", "ghost", "--enable-egress=false"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "Error: No OSM control plane with mesh name [ghost] found in namespace [osm-system]\n")
    }

    func testUpstreamManualPatchStillWorks() throws {
        let h = try installed(["--enable-egress"])
        let r = try h.kubectl(["patch", "ConfigMap", "osm-config", "-n", "osm-system", "-p", #"{"data":{"egress":"false"}}"#, "--type=merge"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(egress(h), "false")
    }

    func testListFindsOurMeshAndUpstreamInstalledOnes() throws {
        let empty = try ClusterHarness()
        XCTAssertEqual(try empty.osm(["mesh", "list"]).stdout, "No control planes found\n")

        let h = try installed()
        try h.createNamespace("legacy")
        try h.sim.put(NamespaceCommandTests.controllerDeployment(namespace: "legacy", mesh: "old"))
        func pods(_ ns: String) -> String {
            h.sim.objects(group: "", version: "v1", resource: "pods", namespace: ns)
                .filter { $0[path: "metadata", "labels", "app"]?.stringValue == "osm-controller" }
                .compactMap { $0[path: "metadata", "name"]?.stringValue }.sorted().joined(separator: ",")
        }
        XCTAssertFalse(pods("osm-system").isEmpty)
        // Upstream: Fprintln(w, "\nMESH NAME\tNAMESPACE\tCONTROLLER PODS"), rows "%s\t%s\t%s\n",
        // tabwriter(minwidth 6, tabwidth 4, padding 3): a blank line first, the last column unpadded.
        let r = try h.osm(["mesh", "list"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout,
            "\nMESH NAME   NAMESPACE    CONTROLLER PODS\n" +
            "old         legacy       \(pods("legacy"))\n" +
            "osm         osm-system   \(pods("osm-system"))\n")
        XCTAssertEqual(r.stdout.split(separator: "\n").last?.split(separator: " ").last.map(String.init), pods("osm-system"),
                       "awk '{print $NF}' gives the controller pods, as upstream")
        let wide = try h.osm(["mesh", "list", "-o", "wide"])
        XCTAssertEqual(wide.stdout,
            "\nMESH NAME   NAMESPACE    CONTROLLER PODS" + String(repeating: " ", count: max(18, pods("osm-system").count + 3) - 15) + "VERSION\n" +
            "old         legacy       \(pods("legacy"))" + String(repeating: " ", count: max(18, pods("osm-system").count + 3) - pods("legacy").count) + "v0.8.3\n" +
            "osm         osm-system   \(pods("osm-system"))" + String(repeating: " ", count: max(18, pods("osm-system").count + 3) - pods("osm-system").count) + "v0.8.4\n")
        let json = try JSONValue(parsing: try h.osm(["mesh", "list", "-o", "json"]).stdout)
        XCTAssertEqual(json.arrayValue?.count, 2)
    }

    func testUninstallPromptsAndDeletesEverythingButNamespaceAndCRDs() throws {
        let h = try installed()
        let no = try h.osm(["mesh", "uninstall"], stdin: "n\n")
        XCTAssertEqual(no.status, 0, no.stderr)
        XCTAssertEqual(no.stdout, "Uninstall OSM [mesh name: osm] ? [y/n]: ")
        XCTAssertNotNil(h.deployment("osm-controller", in: "osm-system"))

        // Three answers that are neither y nor n: a "no", as upstream.
        let unclear = try h.osm(["mesh", "uninstall"], stdin: "maybe\nperhaps\n\n")
        XCTAssertEqual(unclear.status, 0, unclear.stderr)
        XCTAssertFalse(unclear.stdout.contains("uninstalled"), unclear.stdout)
        XCTAssertNotNil(h.deployment("osm-controller", in: "osm-system"))

        // A mesh name that is not a label value cannot widen the selector.
        let sneaky = try h.osm(["mesh", "uninstall", "-f", "--mesh-name", "osm,app.kubernetes.io/name"])
        XCTAssertNotEqual(sneaky.status, 0)
        XCTAssertNotNil(h.deployment("osm-controller", in: "osm-system"))

        let eof = try h.osm(["mesh", "uninstall"], stdin: "")
        XCTAssertNotEqual(eof.status, 0)
        XCTAssertTrue(eof.stderr.hasPrefix("Error: "), eof.stderr)
        XCTAssertNotNil(h.deployment("osm-controller", in: "osm-system"))

        let yes = try h.osm(["mesh", "delete"], stdin: "maybe\ny\n")
        XCTAssertEqual(yes.status, 0, yes.stderr)
        XCTAssertTrue(yes.stdout.hasSuffix("OSM [mesh name: osm] uninstalled\n"), yes.stdout)
        for (g, v, r, ns) in [("apps", "v1", "deployments", "osm-system"), ("", "v1", "services", "osm-system"),
                              ("", "v1", "serviceaccounts", "osm-system"), ("rbac.authorization.k8s.io", "v1", "clusterroles", nil),
                              ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", nil),
                              ("admissionregistration.k8s.io", "v1beta1", "mutatingwebhookconfigurations", nil),
                              ("admissionregistration.k8s.io", "v1beta1", "validatingwebhookconfigurations", nil)] as [(String, String, String, String?)] {
            let left = h.sim.objects(group: g, version: v, resource: r, namespace: ns)
                .filter { $0[path: "metadata", "labels", "app.kubernetes.io/instance"] == "osm" }
            XCTAssertTrue(left.isEmpty, "\(r) left: \(left.compactMap { $0[path: "metadata", "name"] })")
        }
        XCTAssertNil(h.configMap("osm-config", in: "osm-system"))
        XCTAssertNotNil(h.namespace("osm-system"))
        XCTAssertEqual(h.sim.objects(group: "apiextensions.k8s.io", version: "v1beta1", resource: "customresourcedefinitions", namespace: nil).count, 5)

        let gone = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(gone.status, 0, gone.stderr)
        XCTAssertEqual(gone.stdout, "")
        let notForced = try h.osm(["mesh", "uninstall"], stdin: "y\n")
        XCTAssertEqual(notForced.status, 1)
        XCTAssertTrue(notForced.stderr.contains("No OSM control plane with mesh name [osm] found in namespace [osm-system]"), notForced.stderr)
    }

    func testVersionAndEnv() throws {
        let h = try ClusterHarness()
        let env = try h.osm(["env"], env: ["OSM_NAMESPACE": "mesh-ns"])
        XCTAssertEqual(env.stdout, "OSM_NAMESPACE=\"mesh-ns\"\n")
        let v = try h.osm(["version"])
        XCTAssertTrue(v.stdout.hasPrefix("Version: "), v.stdout)
        XCTAssertTrue(v.stdout.contains("; Commit: ") && v.stdout.contains("; Date: "), v.stdout)
    }
}
