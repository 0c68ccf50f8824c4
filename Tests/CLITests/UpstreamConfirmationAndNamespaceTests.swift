import Foundation
import KubeSim
import TestSupport
import XCTest
import ObjectModel

/// What upstream does with what it parsed: `mesh uninstall`'s confirm() and the namespace an
/// empty OSM_NAMESPACE or --osm-namespace stands for. Each case cites the upstream v0.8.4 line
/// it follows.
final class UpstreamConfirmationAndNamespaceTests: XCTestCase {
    private let prompt = "Uninstall OSM [mesh name: osm] ? [y/n]: "

    private func installed() throws -> ClusterHarness {
        let h = try ClusterHarness()
        let r = try h.osm(["install"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return h
    }

    /// cmd/cli/util.go confirm(): `r.ReadString('\n')`, `if err != nil { return false, err }`;
    /// only "y"/"n" after TrimSpace+ToLower count; anything else asks again, 3 tries, then no.
    func testConfirmationReadsAsUpstream() throws {
        let h = try installed()
        func controllerLeft() -> Bool { h.deployment("osm-controller", in: "osm-system") != nil }

        // `echo yes`: "yes" is not "y" (asked again), then end of input: an error, nothing deleted.
        let yes = try h.osm(["mesh", "uninstall"], stdin: "yes\n")
        XCTAssertEqual(yes.status, 1, yes.stderr)
        XCTAssertEqual(yes.stdout, prompt + prompt)
        XCTAssertTrue(yes.stderr.hasPrefix("Error: EOF"), yes.stderr)
        XCTAssertTrue(controllerLeft())

        // `printf y`: no newline, so ReadString returns io.EOF with "y": an error, nothing deleted.
        let bare = try h.osm(["mesh", "uninstall"], stdin: "y")
        XCTAssertEqual(bare.status, 1, bare.stderr)
        XCTAssertEqual(bare.stdout, prompt)
        XCTAssertTrue(controllerLeft())

        // Three lines that are neither y nor n (an empty one included): no, exit 0.
        let unclear = try h.osm(["mesh", "uninstall"], stdin: "no way\n\nyep\ny\n")
        XCTAssertEqual(unclear.status, 0, unclear.stderr)
        XCTAssertEqual(unclear.stdout, prompt + prompt + prompt)
        XCTAssertTrue(controllerLeft())

        let no = try h.osm(["mesh", "uninstall"], stdin: " N \n")
        XCTAssertEqual(no.status, 0, no.stderr)
        XCTAssertEqual(no.stdout, prompt)
        XCTAssertTrue(controllerLeft())

        // Trimmed, any case; CR LF line ends too (TrimSpace).
        let upper = try h.osm(["mesh", "uninstall"], stdin: "\tY \r\n")
        XCTAssertEqual(upper.status, 0, upper.stderr)
        XCTAssertEqual(upper.stdout, prompt + "OSM [mesh name: osm] uninstalled\n")
        XCTAssertFalse(controllerLeft())
    }

    /// mesh_uninstall.go run(): confirm() comes before the uninstall action looks the release
    /// up, so a "no" for a mesh that does not exist is a quiet exit 0 and stdout holds the prompt
    /// in every case, a kubeconfig that cannot be read included.
    func testQuestionComesBeforeTheMeshIsLookedUp() throws {
        let h = try ClusterHarness()
        let missing = try h.osm(["mesh", "uninstall", "--mesh-name", "nowhere"], stdin: "n\n")
        XCTAssertEqual(missing.status, 0, missing.stderr)
        XCTAssertEqual(missing.stdout, "Uninstall OSM [mesh name: nowhere] ? [y/n]: ")
        XCTAssertEqual(missing.stderr, "")

        let notFound = try h.osm(["mesh", "uninstall"], stdin: "y\n")
        XCTAssertEqual(notFound.status, 1)
        XCTAssertEqual(notFound.stdout, prompt)
        XCTAssertEqual(notFound.stderr, "Error: No OSM control plane with mesh name [osm] found in namespace [osm-system]\n")

        let badConfig = try OSMBinary.run(["mesh", "uninstall"], kubeconfig: h.file("absent"), home: h.dir, stdin: "n\n")
        XCTAssertEqual(badConfig.status, 0, badConfig.stderr)
        XCTAssertEqual(badConfig.stdout, prompt)
    }

    private func kubeconfig(_ h: ClusterHarness, namespace: String?) throws -> String {
        let path = h.file("kubeconfig-\(namespace ?? "none")")
        try FileManager.default.copyItem(atPath: h.kubeconfig, toPath: path)
        if let namespace {
            let r = try ProcessRunner.run(try Tools.kubectl(), ["config", "set-context", "--current", "--namespace=\(namespace)", "--kubeconfig", path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        return path
    }

    /// pkg/cli/environment.go: `envOr` keeps a set-but-empty OSM_NAMESPACE, and Namespace()
    /// asks client-go, for which an empty override is none (client-go v0.20 DirectClientConfig
    /// .Namespace: `overrides.Context.Namespace != ""`): the context's namespace, else
    /// "default"; an unusable kubeconfig gives "default" (`if err == nil { return ns }`).
    func testEmptyNamespaceMeansTheContextsNamespace() throws {
        let h = try ClusterHarness()
        let withNamespace = try kubeconfig(h, namespace: "ctx-mesh")
        let without = try kubeconfig(h, namespace: nil)
        func env(_ args: [String], kubeconfig: String, osmNamespace: String?) throws -> String {
            var extra: [String: String] = [:]
            if let osmNamespace { extra["OSM_NAMESPACE"] = osmNamespace }
            let r = try OSMBinary.run(args, kubeconfig: kubeconfig, home: h.dir, env: extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return r.stdout
        }
        XCTAssertEqual(try env(["env"], kubeconfig: withNamespace, osmNamespace: ""), "OSM_NAMESPACE=\"ctx-mesh\"\n")
        XCTAssertEqual(try env(["env"], kubeconfig: without, osmNamespace: ""), "OSM_NAMESPACE=\"default\"\n")
        XCTAssertEqual(try env(["env", "--osm-namespace", ""], kubeconfig: withNamespace, osmNamespace: "x"), "OSM_NAMESPACE=\"ctx-mesh\"\n")
        XCTAssertEqual(try env(["env", "--osm-namespace="], kubeconfig: withNamespace, osmNamespace: nil), "OSM_NAMESPACE=\"ctx-mesh\"\n")
        XCTAssertEqual(try env(["env"], kubeconfig: h.file("absent"), osmNamespace: ""), "OSM_NAMESPACE=\"default\"\n")
        // Unset: upstream's default; set: as given.
        XCTAssertEqual(try env(["env"], kubeconfig: withNamespace, osmNamespace: nil), "OSM_NAMESPACE=\"osm-system\"\n")

        // A cluster command acts in that namespace: install puts the control plane there.
        let install = try OSMBinary.run(["install"], kubeconfig: withNamespace, home: h.dir, env: ["OSM_NAMESPACE": ""])
        XCTAssertEqual(install.status, 0, install.stderr)
        XCTAssertEqual(install.stdout, "OSM installed successfully in namespace [ctx-mesh] with mesh name [osm]\n")
        XCTAssertNotNil(h.deployment("osm-controller", in: "ctx-mesh"))
        let upgrade = try OSMBinary.run(["mesh", "upgrade", "--osm-namespace=", "--enable-egress"], kubeconfig: withNamespace, home: h.dir)
        XCTAssertEqual(upgrade.status, 0, upgrade.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "ctx-mesh")?[path: "data", "egress"]?.stringValue, "true")
    }

    /// namespace_ignore.go and metrics_enable.go: `ns = strings.TrimSpace(ns)` before use.
    func testNamespaceNamesAreTrimmedAsUpstream() throws {
        let h = try ClusterHarness()
        try h.createNamespace("curl")
        let ignore = try h.osm(["namespace", "ignore", " curl\t"])
        XCTAssertEqual(ignore.status, 0, ignore.stderr)
        XCTAssertEqual(ignore.stdout, "Successfully configured namespace [curl] to be ignored\n")
        XCTAssertEqual(h.namespace("curl")?[path: "metadata", "labels", "openservicemesh.io/ignore"]?.stringValue, "true")
    }
}
