import Foundation
import XCTest
import ObjectModel

/// Upstream's `--osm-namespace` is a persistent flag of the root command; this osm's kubectl
/// flags are persistent the same way.
final class PersistentFlagTests: XCTestCase {
    func testOSMNamespaceBeforeTheSubcommandAndOnCommandsThatIgnoreIt() throws {
        let before = try OSMBinary.run(["--osm-namespace", "x", "env"], removing: ["OSM_NAMESPACE"])
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(before.stdout, "OSM_NAMESPACE=\"x\"\n")
        let glued = try OSMBinary.run(["--osm-namespace=z", "env"], removing: ["OSM_NAMESPACE"])
        XCTAssertEqual(glued.stdout, "OSM_NAMESPACE=\"z\"\n")
        let plain = try OSMBinary.run(["version"])
        for arguments in [["version", "--osm-namespace", "x"], ["--osm-namespace", "x", "version"],
                          ["version", "--kubeconfig", "/nonexistent", "--context", "c", "--request-timeout", "5s", "-v", "6"],
                          ["-v6", "version"]] {
            let result = try OSMBinary.run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, plain.stdout, "\(arguments)")
        }
    }

    func testClusterFlagsBeforeTheSubcommandReachTheCluster() throws {
        let h = try ClusterHarness()
        let elsewhere = h.dir.appendingPathComponent("elsewhere").path
        try h.sim.writeKubeconfig(to: elsewhere, user: "admin")
        // KUBECONFIG points nowhere: only the root --kubeconfig can reach kube-sim.
        let env = ["KUBECONFIG": "/nonexistent"]
        let list = try h.osm(["--kubeconfig", elsewhere, "namespace", "list"], env: env)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.stdout, "No namespaces in any mesh\n")
        let missing = try h.osm(["--kubeconfig", "/nonexistent/kc", "mesh", "list"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/kc"), missing.stderr)

        let install = try h.osm(["install", "--osm-namespace", "mesh-a", "--timeout", "30s"])
        XCTAssertEqual(install.status, 0, install.stderr)
        let upgrade = try h.osm(["--osm-namespace", "mesh-a", "-v", "6", "mesh", "upgrade", "--enable-egress=true"])
        XCTAssertEqual(upgrade.status, 0, upgrade.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "mesh-a")?[path: "data", "egress"]?.stringValue, "true")
        XCTAssertTrue(upgrade.stderr.contains("GET https://"), "-v 6 before the subcommand logs requests: \(upgrade.stderr)")
        let context = try h.osm(["--context", "no-such-context", "mesh", "list"])
        XCTAssertEqual(context.status, 1)
        XCTAssertTrue(context.stderr.contains("no-such-context"), context.stderr)
    }
}
