import KubeSim
import XCTest
import ObjectModel
import TestSupport

/// `kubectl logs`, `exec` and `attach`: kube-sim runs no containers, and says so for a pod that exists;
/// a missing pod is still a 404 and a wrong container a 400, as 1.20's registry answers
/// (pkg/registry/core/pod/strategy.go, getPod and validateContainer).
final class PodStreamTests: XCTestCase {
    func testLogsExecAndAttachSayNoContainersRun() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.kubectl("run", "web", "--image=nginx").stdout, "pod/web created\n")

        var out = try h.kubectl("logs", "web")
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.errors, "Error from server (BadRequest): container \"web\" in pod \"web\" has no logs: kube-sim runs no containers (pods/log is not served)")
        // kubectl checks the container name itself, and words a missing pod its own way.
        out = try h.kubectl("logs", "web", "-c", "sidecar")
        XCTAssertEqual(out.errors, "error: container sidecar is not valid for pod web")
        out = try h.kubectl("logs", "ghost")
        XCTAssertEqual(out.errors, "error: error from server (NotFound): pods \"ghost\" not found in namespace \"default\"")

        out = try h.kubectl("exec", "web", "--", "ls")
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.errors.contains("cannot exec into container \"web\" in pod \"web\": kube-sim runs no containers (pods/exec is not served)"), out.errors)
        out = try h.kubectl("exec", "ghost", "--", "ls")
        XCTAssertEqual(out.errors, "Error from server (NotFound): pods \"ghost\" not found")
        out = try h.kubectl("attach", "web")
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.errors.contains("cannot attach to container \"web\" in pod \"web\": kube-sim runs no containers (pods/attach is not served)"), out.errors)

        // The subresources themselves, as any client meets them.
        for sub in ["log", "exec?command=ls", "attach"] {
            let missing = try h.request("GET", "/api/v1/namespaces/default/pods/ghost/\(sub)")
            XCTAssertEqual(missing.status, 404, sub)
            XCTAssertEqual(missing.json?["message"]?.stringValue, "pods \"ghost\" not found", sub)
            let present = try h.request("GET", "/api/v1/namespaces/default/pods/web/\(sub)")
            XCTAssertEqual(present.status, 400, sub)
            XCTAssertEqual(present.json?["reason"]?.stringValue, "BadRequest", sub)
            let wrong = try h.request("GET", "/api/v1/namespaces/default/pods/web/\(sub)\(sub.contains("?") ? "&" : "?")container=sidecar")
            XCTAssertEqual(wrong.json?["message"]?.stringValue, "container sidecar is not valid for pod web", sub)
        }
        XCTAssertEqual(try h.request("POST", "/api/v1/namespaces/default/pods/web/log").status, 405)
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default/configmaps/kube-root-ca.crt/log").status, 404)
    }
}
