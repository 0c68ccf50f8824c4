import KubeSim
import XCTest
import ObjectModel

/// `osm verify control-plane` against a mesh installed by osm on kube-sim, healthy and then broken
/// one way at a time, as a CI job would meet it.
final class VerifyControlPlaneTests: XCTestCase {
    /// Installs a mesh and does what the running control plane would: the injector and the
    /// controller write their CA into the webhooks.
    private func installedMesh(_ extra: [String] = [], configure: (inout KubeSimOptions) -> Void = { _ in }) throws -> ClusterHarness {
        let h = try ClusterHarness(configure: configure)
        let r = try h.osm(["install"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        for resource in ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"] {
            for var hook in h.sim.objects(group: "admissionregistration.k8s.io", version: "v1beta1", resource: resource, namespace: nil) {
                var hooks = hook["webhooks"]?.arrayValue ?? []
                for i in hooks.indices { hooks[i]["clientConfig"]?["caBundle"] = "Y2EtYnVuZGxl" }
                hook["webhooks"] = .array(hooks)
                try h.sim.put(hook)
            }
        }
        return h
    }

    private func statuses(_ stdout: String) -> [String: String] {
        var out: [String: String] = [:]
        var context = ""
        for line in stdout.split(separator: "\n").map(String.init) {
            if let r = line.range(of: "Context: ") { context = String(line[r.upperBound...]) }
            if line.hasPrefix("Status: ") { out[context] = String(line.dropFirst(8)) }
        }
        return out
    }

    func testHealthyControlPlanePassesEveryCheck() throws {
        let h = try installedMesh()
        let r = try h.osm(["verify", "control-plane"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let s = statuses(r.stdout)
        XCTAssertEqual(s.count, 10, r.stdout)
        XCTAssertTrue(s.values.allSatisfy { $0 == "Success" }, r.stdout)
        XCTAssertTrue(r.stdout.hasPrefix("---------------------------------------------\n[+] Context: Verify the health of OSM control plane in namespace \"osm-system\" (mesh \"osm\")\nStatus: Success\n\n[++] Context: "), r.stdout)
        XCTAssertEqual(s["Verify Deployment \"osm-system/osm-injector\" is available"], "Success")
        XCTAssertEqual(s["Verify readiness status of pod for app \"osm-system/osm-controller\""], "Success")
        XCTAssertTrue(r.stdout.hasSuffix("\n---------------------------------------------\n"))
        XCTAssertEqual(r.stderr, "")
        // The alias upstream v1.x uses, and a mesh name that is not installed there.
        XCTAssertEqual(try h.osm(["verify", "control-plane-health"]).status, 0)
        let other = try h.osm(["verify", "control-plane", "--mesh-name", "other"])
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stdout.contains("Reason: Deployment osm-controller belongs to mesh \"osm\", not \"other\""), other.stdout)
    }

    func testEachBrokenPartIsNamedWithWhatToDo() throws {
        let h = try installedMesh()
        var cm = try XCTUnwrap(h.configMap("osm-config", in: "osm-system"))
        cm["data"]?["egress"] = "yes"
        cm["data"]?["service_cert_validity_duration"] = "1 day"
        try h.sim.put(cm)
        var hook = try XCTUnwrap(h.sim.object(group: "admissionregistration.k8s.io", version: "v1beta1",
                                              resource: "mutatingwebhookconfigurations", namespace: nil, name: "osm-webhook-osm"))
        hook["webhooks"] = .array((hook["webhooks"]?.arrayValue ?? []).map { var w = $0; w["clientConfig"]?["caBundle"] = ""; return w })
        try h.sim.put(hook)
        XCTAssertEqual(try h.kubectl(["delete", "crd", "tcproutes.specs.smi-spec.io"]).status, 0)
        XCTAssertEqual(try h.kubectl(["delete", "service", "osm-config-validator", "-n", "osm-system"]).status, 0)

        let r = try h.osm(["verify", "control-plane"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let s = statuses(r.stdout)
        XCTAssertEqual(s["Verify ConfigMap \"osm-system/osm-config\" is valid"], "Failure")
        XCTAssertTrue(r.stdout.contains("Reason: egress: must be a boolean, not \"yes\"; service_cert_validity_duration: must be a Go duration such as 24h or 90m, not \"1 day\"\n"), r.stdout)
        XCTAssertEqual(s["Verify MutatingWebhookConfiguration of mesh \"osm\""], "Failure")
        XCTAssertTrue(r.stdout.contains("osm-webhook-osm webhook osm-inject.k8s.io has no caBundle"), r.stdout)
        XCTAssertEqual(s["Verify ValidatingWebhookConfiguration of mesh \"osm\""], "Failure")
        XCTAssertTrue(r.stdout.contains("points at Service osm-system/osm-config-validator, which does not exist"), r.stdout)
        XCTAssertEqual(s["Verify the SMI CustomResourceDefinitions"], "Failure")
        XCTAssertTrue(r.stdout.contains("Reason: Missing: tcproutes.specs.smi-spec.io\n"), r.stdout)
        XCTAssertEqual(s["Verify Deployment \"osm-system/osm-controller\" is available"], "Success")
        XCTAssertTrue(r.stdout.contains("Status: Failure\nReason: A verification step failed\nSuggestion: Please follow the suggestions"), r.stdout)
    }

    func testPodsThatCannotStartAreReportedWithReasonAndImage() throws {
        let h = try ClusterHarness { $0.unpullableImage = "osm-injector" }
        let install = try h.osm(["install", "--timeout", "1s"])
        XCTAssertNotEqual(install.status, 0)
        let r = try h.osm(["verify", "control-plane"])
        XCTAssertEqual(r.status, 1, r.stdout)
        let s = statuses(r.stdout)
        XCTAssertEqual(s["Verify Deployment \"osm-system/osm-injector\" is available"], "Failure")
        XCTAssertEqual(s["Verify readiness status of pod for app \"osm-system/osm-injector\""], "Failure")
        XCTAssertTrue(r.stdout.contains("is waiting: ImagePullBackOff (image openservicemesh/osm-injector:v0.8.4)"), r.stdout)
        XCTAssertEqual(s["Verify readiness status of pod for app \"osm-system/osm-controller\""], "Success")
    }

    func testMissingControlPlaneAndTerminatingNamespace() throws {
        let h = try ClusterHarness()
        let r = try h.osm(["verify", "control-plane", "--osm-namespace", "nowhere"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("Reason: Namespace \"nowhere\" does not exist"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Reason: Deployment osm-controller not found in namespace \"nowhere\""), r.stdout)

        let m = try installedMesh()
        XCTAssertEqual(try m.kubectl(["delete", "namespace", "osm-system", "--wait=false"]).status, 0)
        let t = try m.osm(["verify", "control-plane"])
        XCTAssertEqual(t.status, 1)
        XCTAssertTrue(t.stdout.contains("Reason: Namespace \"osm-system\" is Terminating"), t.stdout)
    }

    func testUsageErrors() throws {
        let h = try ClusterHarness()
        let bad = try h.osm(["verify", "control-plane", "--mesh-name", "a b"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.hasPrefix("Error: Invalid mesh-name [a b]; it must be a valid label value"), bad.stderr)
        for args in [["verify", "connectivity", "--to-ext-port", "443"],
                     ["verify", "connectivity", "--from-pod", "curl", "--to-ext-port", "443"],
                     ["verify", "connectivity", "--from-pod", "a/b", "--from-namespace", "a", "--to-ext-port", "443"],
                     ["verify", "connectivity", "--from-pod", "a/b", "--to-ext-port", "0"],
                     ["verify", "connectivity", "--from-pod", "a/b", "--to-ext-port", "443", "--app-protocol", "udp"]] {
            let r = try h.osm(args)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.hasPrefix("Error: "), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        XCTAssertTrue(h.sim.requestLog.isEmpty, "usage errors send nothing")
    }
}
