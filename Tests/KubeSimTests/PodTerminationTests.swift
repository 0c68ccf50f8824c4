import Foundation
import KubeSim
import TestSupport
import XCTest
import ObjectModel

/// Pods end with a grace period, as 1.20's pod registry and kubelet do: pkg/registry/core/pod/strategy.go
/// CheckGracefulDelete (the request's gracePeriodSeconds, else spec.terminationGracePeriodSeconds, 30 by
/// default; 0 for a pod not scheduled) and staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
/// Delete (a graceful delete sets deletionTimestamp and deletionGracePeriodSeconds and answers the pod; the
/// kubelet's own delete with grace 0 removes it once its containers stopped).
final class PodTerminationTests: XCTestCase {
    var h: ClusterHarness!

    override func setUpWithError() throws { h = try ClusterHarness { $0.readyAfter = 1 } }
    override func tearDown() { h = nil }

    func pod(_ name: String) -> JSONValue? {
        h.sim.object(group: "", version: "v1", resource: "pods", namespace: "default", name: name)
    }

    func makePod(_ name: String) throws {
        let out = try h.kubectl("run", name, "--image=nginx", "--restart=Never")
        XCTAssertEqual(out.status, 0, out.stderr)
        eventually("\(name) running") { pod(name)?[path: "status", "phase"]?.stringValue == "Running" }
    }

    func testDeletedPodIsTerminatingThenGone() throws {
        try makePod("p1")
        let (code, answer) = try h.json("DELETE", "/api/v1/namespaces/default/pods/p1")
        XCTAssertEqual(code, 200)
        // The answer is the pod itself, marked for deletion (not a Status), as store.go's graceful path.
        XCTAssertEqual(answer["kind"], "Pod")
        XCTAssertEqual(answer[path: "metadata", "deletionGracePeriodSeconds"]?.intValue, 30)
        XCTAssertNotNil(answer[path: "metadata", "deletionTimestamp"])
        let out = try h.kubectl("get", "pod", "p1", "--no-headers")
        XCTAssertTrue(out.stdout.contains(" Terminating "), out.stdout)
        eventually("p1 gone") { pod("p1") == nil }
    }

    func testForcedDeletionWithGracePeriodZeroIsImmediate() throws {
        try makePod("p2")
        let out = try h.kubectl("delete", "pod", "p2", "--grace-period=0", "--force")
        XCTAssertEqual(out.stdout, "pod \"p2\" force deleted\n", out.stderr)
        XCTAssertNil(pod("p2"))

        // A pod already terminating is removed at once by a second delete with grace 0.
        try makePod("p3")
        XCTAssertEqual(try h.kubectl("delete", "pod", "p3", "--wait=false").status, 0)
        XCTAssertNotNil(pod("p3")?[path: "metadata", "deletionTimestamp"])
        XCTAssertEqual(try h.kubectl("delete", "pod", "p3", "--grace-period=0", "--force").status, 0)
        XCTAssertNil(pod("p3"))
    }

    /// pkg/controller/replicaset/replica_set.go: a terminating pod is no longer active
    /// (controller.FilterActivePods), so its ReplicaSet makes a replacement at once.
    func testReplicaSetReplacesATerminatingPodAtOnce() throws {
        XCTAssertEqual(try h.kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2").status, 0)
        func pods() -> [JSONValue] {
            h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "default")
        }
        eventually("two pods") { pods().count == 2 }
        let victim = try XCTUnwrap(pods().first?[path: "metadata", "name"]?.stringValue)
        XCTAssertEqual(try h.kubectl("delete", "pod", victim, "--wait=false").status, 0)
        XCTAssertEqual(pods().count, 3)
        XCTAssertEqual(pods().filter { $0[path: "metadata", "deletionTimestamp"] == nil }.count, 2)
        eventually("the terminating pod gone") { pods().count == 2 && pod(victim) == nil }
    }
}
