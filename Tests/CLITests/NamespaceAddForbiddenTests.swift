import Foundation
import KubeSim
import XCTest
import ObjectModel

/// `osm namespace add` for a user who may patch namespaces but may not list Deployments
/// cluster-wide: upstream lists Deployments per namespace (and ignores those errors), so it works.
final class NamespaceAddForbiddenTests: XCTestCase {
    func testForbiddenClusterWideListFallsBackToPerNamespaceLists() throws {
        let h = try ClusterHarness()
        try h.createNamespace("cp")
        try h.sim.put(NamespaceCommandTests.controllerDeployment(namespace: "cp", mesh: "osm"))
        try h.createNamespace("app1")
        try h.createNamespace("app2")
        h.sim.setFaults([
            FaultRule(method: "GET", path: "^/apis/apps/v1/deployments$", status: 403, reason: "Forbidden",
                      message: "deployments.apps is forbidden: User \"dev\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope"),
            // A namespace whose Deployments cannot be read counts as holding no controller, as upstream.
            FaultRule(method: "GET", path: "^/apis/apps/v1/namespaces/app2/deployments$", status: 403, reason: "Forbidden",
                      message: "deployments.apps is forbidden"),
        ])
        h.sim.clearRequestLog()
        let r = try h.osm(["namespace", "add", "app1", "cp", "app2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout,
            "Namespace [app1] successfully added to mesh [osm]\n" +
            "Namespace [cp] already has [osm-controller] installed and cannot be added to mesh [osm]\n" +
            "Namespace [app2] successfully added to mesh [osm]\n")
        XCTAssertEqual(r.stderr, "", "whether the mesh exists is unknown without the cluster-wide list: no warning")
        XCTAssertEqual(h.namespace("app1")?[path: "metadata", "labels", "openservicemesh.io/monitored-by"]?.stringValue, "osm")
        XCTAssertEqual(h.namespace("app2")?[path: "metadata", "labels", "openservicemesh.io/monitored-by"]?.stringValue, "osm")
        XCTAssertNil(h.namespace("cp")?[path: "metadata", "labels", "openservicemesh.io/monitored-by"])
        let perNamespace = h.sim.requestLog.filter { $0.method == "GET" && $0.path.hasPrefix("/apis/apps/v1/namespaces/") }
        XCTAssertEqual(Set(perNamespace.map { $0.path }), [
            "/apis/apps/v1/namespaces/app1/deployments", "/apis/apps/v1/namespaces/cp/deployments",
            "/apis/apps/v1/namespaces/app2/deployments",
        ])
    }

    func testOtherListFailuresStillFail() throws {
        let h = try ClusterHarness()
        try h.createNamespace("app1")
        h.sim.setFaults([FaultRule(method: "GET", path: "^/apis/apps/v1/deployments$", status: 500, reason: "InternalError", message: "etcd is down")])
        let r = try h.osm(["namespace", "add", "app1"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("etcd is down"), r.stderr)
        XCTAssertNil(h.namespace("app1")?[path: "metadata", "labels", "openservicemesh.io/monitored-by"])
    }
}
