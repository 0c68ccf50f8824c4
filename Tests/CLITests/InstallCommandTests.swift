import KubeSim
import XCTest
import ObjectModel
import YAMLCodec

final class InstallCommandTests: XCTestCase {
    /// Every object the chart renders for these flags, as kind/namespace/name.
    func expectedObjects(_ h: ClusterHarness, _ args: [String]) throws -> [JSONValue] {
        let dry = try h.osm(["install", "--dry-run"] + args, env: ["KUBECONFIG": "/nonexistent"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        return try YAML.parseDocuments(dry.stdout)
    }

    static func resource(_ kind: String) -> (String, String, String)? {
        switch kind {
        case "Namespace": return ("", "v1", "namespaces")
        case "ConfigMap": return ("", "v1", "configmaps")
        case "Secret": return ("", "v1", "secrets")
        case "Service": return ("", "v1", "services")
        case "ServiceAccount": return ("", "v1", "serviceaccounts")
        case "Deployment": return ("apps", "v1", "deployments")
        case "ClusterRole": return ("rbac.authorization.k8s.io", "v1", "clusterroles")
        case "ClusterRoleBinding": return ("rbac.authorization.k8s.io", "v1", "clusterrolebindings")
        case "Role": return ("rbac.authorization.k8s.io", "v1", "roles")
        case "RoleBinding": return ("rbac.authorization.k8s.io", "v1", "rolebindings")
        case "MutatingWebhookConfiguration": return ("admissionregistration.k8s.io", "v1beta1", "mutatingwebhookconfigurations")
        case "ValidatingWebhookConfiguration": return ("admissionregistration.k8s.io", "v1beta1", "validatingwebhookconfigurations")
        case "CustomResourceDefinition": return ("apiextensions.k8s.io", "v1beta1", "customresourcedefinitions")
        default: return nil
        }
    }

    func assertAllPresent(_ h: ClusterHarness, _ objects: [JSONValue], file: StaticString = #filePath, line: UInt = #line) {
        for o in objects {
            let kind = o["kind"]?.stringValue ?? ""
            guard let (g, v, r) = Self.resource(kind) else { XCTFail("unknown kind \(kind)", file: file, line: line); continue }
            let name = o[path: "metadata", "name"]?.stringValue ?? ""
            let ns = kind == "Namespace" || o[path: "metadata", "namespace"] == nil ? nil : "osm-system"
            XCTAssertNotNil(h.sim.object(group: g, version: v, resource: r, namespace: ns, name: name), "\(kind) \(name) missing", file: file, line: line)
        }
    }

    func instanceObjects(_ h: ClusterHarness) -> [String] {
        var out: [String] = []
        for kind in ["ConfigMap", "Secret", "Service", "ServiceAccount", "Deployment", "ClusterRole", "ClusterRoleBinding",
                     "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "CustomResourceDefinition"] {
            let (g, v, r) = Self.resource(kind)!
            for o in h.sim.objects(group: g, version: v, resource: r, namespace: nil)
            where o[path: "metadata", "labels", "app.kubernetes.io/name"] == "openservicemesh.io" || kind == "CustomResourceDefinition" {
                out.append("\(kind)/\(o[path: "metadata", "name"]?.stringValue ?? "")")
            }
        }
        return out
    }

    func testFullInstallCreatesEveryObjectWithEgressAsAsked() throws {
        let h = try ClusterHarness()
        try h.createNamespace("osm-system", labels: ["keep": "me"])
        let expected = try expectedObjects(h, ["--enable-egress"])
        XCTAssertGreaterThan(expected.count, 15)
        let r = try h.osm(["install", "--enable-egress"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "OSM installed successfully in namespace [osm-system] with mesh name [osm]\n")
        assertAllPresent(h, expected)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        let ns = h.namespace("osm-system")
        XCTAssertEqual(ns?[path: "metadata", "labels", "keep"], "me")
        XCTAssertEqual(ns?[path: "metadata", "labels", "name"], "osm-system")
        XCTAssertTrue(r.stderr.contains("osm-controller"), "progress names the deployments: \(r.stderr)")
        // Created in three rounds: what the pods use, then the Deployments, then the webhooks.
        let posts = h.sim.requestLog.filter { $0.method == "POST" }.map(\.path)
        let rounds = posts.map { $0.hasSuffix("/deployments") ? 1 : $0.hasSuffix("webhookconfigurations") ? 2 : 0 }
        XCTAssertEqual(rounds, rounds.sorted(), "\(posts)")
        XCTAssertEqual(Set(rounds), [0, 1, 2], "\(posts)")

        let h2 = try ClusterHarness()
        XCTAssertEqual(try h2.osm(["install", "--mesh-name", "m2", "--osm-namespace", "ns2"]).status, 0)
        XCTAssertEqual(h2.configMap("osm-config", in: "ns2")?[path: "data", "egress"], "false")
        XCTAssertEqual(h2.namespace("ns2")?[path: "metadata", "labels", "name"], "ns2")
    }

    func testRejectedInstallsCreateNothing() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install", "--enforce-single-mesh"]).status, 0)
        let before = instanceObjects(h)
        h.sim.clearRequestLog()
        let cases: [([String], String)] = [
            (["install"], "Error: Mesh osm already exists in cluster. Please specify a new mesh name using --mesh-name\n"),
            (["install", "--mesh-name", "m2"], "Error: Namespace osm-system has an osm controller. Please specify a new namespace using --osm-namespace\n"),
            (["install", "--mesh-name", "m2", "--osm-namespace", "other"], "Error: Cannot install mesh [m2]. Existing mesh [osm] enforces single mesh cluster.\n"),
            (["install", "--mesh-name", "bad name!", "--osm-namespace", "other"], "Error: Invalid mesh-name.\nValid mesh-name:\n"),
            (["install", "--mesh-name", "m3", "--osm-namespace", "other", "--certificate-manager", "vault"],
             "Error: Missing arguments for certificate-manager vault: [vault-host vault-token]\n"),
            (["install", "--mesh-name", "m3", "--osm-namespace", "other", "--envoy-log-level", "loud"],
             "Error: Invalid envoy log level.\n A valid envoy log level must be one from the following : [trace debug info warning warn error critical off]\n"),
            (["install", "--mesh-name", "m3", "--osm-namespace", "other", "--service-cert-validity-duration", "1y"], "Error: time: invalid duration \"1y\"\n"),
        ]
        for (args, message) in cases {
            let r = try h.osm(args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix("Error: "), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
            XCTAssertEqual(instanceObjects(h), before, "\(args) created something")
            XCTAssertNil(h.namespace("other"), "\(args) created the namespace")
        }
        XCTAssertTrue(h.writes.isEmpty, "a refused install wrote: \(h.writes)")

        // The other way round: a mesh exists, a new one asks for single-mesh.
        let h2 = try ClusterHarness()
        XCTAssertEqual(try h2.osm(["install"]).status, 0)
        let single = try h2.osm(["install", "--mesh-name", "m2", "--osm-namespace", "other", "--enforce-single-mesh"])
        XCTAssertEqual(single.stderr, "Error: Meshes already exist in cluster. Cannot enforce single mesh cluster.\n")
        XCTAssertNil(h2.namespace("other"))
    }

    func testKubernetes122ServerIsRefusedBeforeAnything() throws {
        let h = try ClusterHarness { $0.serverVersion = "v1.22.3" }
        h.sim.clearRequestLog()
        let r = try h.osm(["install"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("v1.22.3"), r.stderr)
        XCTAssertTrue(r.stderr.contains("v1beta1"), r.stderr)
        XCTAssertTrue(h.writes.isEmpty, "\(h.writes)")
    }

    func testUnpullableImageTimesOutWithDiagnosisAndAtomicCleansUp() throws {
        let h = try ClusterHarness { $0.unpullableImage = "osm-controller" }
        try h.createNamespace("osm-system")
        // The controller's pod never becomes ready, so only osm's own --timeout can end this run:
        // ignoring it would run into the runner's hang guard (far beyond 2s, far below the
        // default 5m), which fails the test. No elapsed time is asserted.
        let r = try h.osm(["install", "--timeout", "2s"], timeout: 90)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("ImagePullBackOff"), r.stderr)
        XCTAssertTrue(r.stderr.contains("openservicemesh/osm-controller:v0.8.4"), r.stderr)
        XCTAssertFalse(r.stderr.contains("timed out waiting for the condition"))
        XCTAssertNotNil(h.deployment("osm-controller", in: "osm-system"), "without --atomic the objects stay")

        let h2 = try ClusterHarness { $0.unpullableImage = "osm-injector" }
        try h2.createNamespace("keepme", labels: ["name": "old"])
        // One CRD existed before the install: --atomic must keep it, and delete the four it created.
        let crds = try YAML.parseDocuments(try h2.osm(["install", "--dry-run"]).stdout).filter { $0["kind"] == "CustomResourceDefinition" }
        try h2.sim.put(try XCTUnwrap(crds.first))
        let a = try h2.osm(["install", "--timeout", "1s", "--atomic", "--osm-namespace", "keepme"])
        XCTAssertNotEqual(a.status, 0)
        XCTAssertTrue(a.stderr.contains("ImagePullBackOff"), a.stderr)
        XCTAssertTrue(instanceObjects(h2).filter { !$0.hasPrefix("CustomResourceDefinition/") }.isEmpty, "\(instanceObjects(h2))")
        // The CRDs it created terminate, then go (1.20's finalizer controller); the one that existed stays.
        eventually("only the CRD that existed before is left") {
            h2.sim.objects(group: "apiextensions.k8s.io", version: "v1beta1", resource: "customresourcedefinitions", namespace: nil)
                .map { $0[path: "metadata", "name"] } == [crds.first?[path: "metadata", "name"]]
        }
        XCTAssertNotNil(h2.namespace("keepme"), "a namespace that existed before is never deleted")
        XCTAssertEqual(h2.namespace("keepme")?[path: "metadata", "labels", "name"], "old", "its name label is restored")

        // A namespace this run created goes too.
        let h3 = try ClusterHarness { $0.unpullableImage = "osm-controller" }
        let b = try h3.osm(["install", "--timeout", "1s", "--atomic", "--osm-namespace", "fresh"])
        XCTAssertNotEqual(b.status, 0)
        let gone = h3.namespace("fresh")
        XCTAssertTrue(gone == nil || gone?[path: "status", "phase"] == "Terminating", "\(String(describing: gone))")
    }

    func testAServerThatStopsAnsweringCannotOutlastTheTimeout() throws {
        let h = try ClusterHarness()
        // The readiness poll (a list in the control-plane namespace) is never answered (an hour,
        // beyond the runner's hang guard): osm can only finish by abandoning it at its --timeout.
        // Waiting for the answer would run into the hang guard, which fails the test.
        h.sim.setFaults([FaultRule(method: "GET", path: "^/apis/apps/v1/namespaces/osm-system/deployments$", delayMs: 3_600_000)])
        let r = try h.osm(["install", "--timeout", "2s"], timeout: 90)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.hasPrefix("Error: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("(--timeout 2s)"), "the message names the limit: \(r.stderr)")
    }

    func testDryRunNeedsNoClusterAndAppliesWithKubectl() throws {
        let h = try ClusterHarness()
        let dry = try h.osm(["install", "--dry-run", "--enable-egress"], env: ["KUBECONFIG": "/nonexistent/kubeconfig"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        let docs = try YAML.parseDocuments(dry.stdout)
        XCTAssertEqual(docs.first?["kind"], "Namespace")
        let json = try h.osm(["install", "--dry-run", "-o", "json"], env: ["KUBECONFIG": "/nonexistent/kubeconfig"])
        let list = try JSONValue(parsing: json.stdout)
        XCTAssertEqual(list["kind"], "List")
        XCTAssertEqual(list["items"]?.arrayValue?.count, try expectedObjects(h, []).count)
        // Even with a reachable cluster configured, a dry run sends nothing.
        XCTAssertEqual(try h.osm(["install", "--dry-run"]).status, 0)
        XCTAssertTrue(h.sim.requestLog.isEmpty, "\(h.sim.requestLog)")

        let applied = try h.kubectl(["apply", "-f", "-"], stdin: dry.stdout)
        XCTAssertEqual(applied.status, 0, applied.stderr)
        assertAllPresent(h, docs)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
    }
}
