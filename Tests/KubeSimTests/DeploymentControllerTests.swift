import KubeSim
import XCTest
import ObjectModel
import TestSupport

final class DeploymentControllerTests: XCTestCase {
    func deployment(_ name: String, image: String, replicas: Int = 2) -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": ["name": .string(name), "namespace": "default", "labels": ["app": .string(name)]],
         "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                  "template": ["metadata": ["labels": ["app": .string(name), "version": "v1"]],
                               "spec": ["containers": [["name": "main", "image": .string(image)]]]]]]
    }

    func pods(_ h: ClusterHarness, _ app: String) -> [JSONValue] {
        h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "default")
            .filter { $0[path: "metadata", "labels", "app"]?.stringValue == app }
    }

    func testRolloutMakesReadyPodsAndAvailableStatus() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.json("POST", "/apis/apps/v1/namespaces/default/deployments", body: deployment("web", image: "nginx")).0, 201)
        let created = pods(h, "web")
        XCTAssertEqual(created.count, 2)
        for p in created {
            let name = p[path: "metadata", "name"]?.stringValue ?? ""
            let parts = name.split(separator: "-")
            XCTAssertEqual(parts.count, 3, name)
            XCTAssertEqual(parts.first, "web")
            XCTAssertEqual(p[path: "metadata", "labels", "version"]?.stringValue, "v1")
            XCTAssertEqual(p[path: "metadata", "labels", "pod-template-hash"]?.stringValue, String(parts[1]))
        }
        eventually("deployment available") {
            let d = h.sim.object(group: "apps", version: "v1", resource: "deployments", namespace: "default", name: "web")
            return d?[path: "status", "availableReplicas"]?.intValue == 2
                && d?[path: "status", "conditions"]?.arrayValue?.contains { $0["type"] == "Available" && $0["status"] == "True" } == true
        }
        let d = h.sim.object(group: "apps", version: "v1", resource: "deployments", namespace: "default", name: "web")
        XCTAssertEqual(d?[path: "status", "replicas"]?.intValue, 2)
        XCTAssertEqual(d?[path: "status", "readyReplicas"]?.intValue, 2)
        XCTAssertEqual(d?[path: "status", "updatedReplicas"]?.intValue, 2)
        XCTAssertEqual(d?[path: "status", "observedGeneration"]?.intValue, 1)
        XCTAssertTrue(pods(h, "web").allSatisfy { $0[path: "status", "phase"]?.stringValue == "Running" })

        // A new template rolls the pods.
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "main", "image": "nginx:2"]]]]]]
        XCTAssertEqual(try h.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/web", body: patch,
                                  contentType: "application/strategic-merge-patch+json").0, 200)
        let oldNames = Set(created.compactMap { $0[path: "metadata", "name"]?.stringValue })
        eventually("pods rolled") {
            let now = pods(h, "web")
            return now.count == 2 && now.allSatisfy {
                !oldNames.contains($0[path: "metadata", "name"]?.stringValue ?? "")
                    && $0[path: "spec", "containers"]?[0]?["image"]?.stringValue == "nginx:2"
                    && $0[path: "status", "phase"]?.stringValue == "Running"
            }
        }
        eventually("observed generation 2") {
            h.sim.object(group: "apps", version: "v1", resource: "deployments", namespace: "default", name: "web")?[path: "status", "observedGeneration"]?.intValue == 2
        }

        // Scaling down, then deleting the Deployment removes its pods.
        _ = try h.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/web", body: ["spec": ["replicas": 1]],
                       contentType: "application/merge-patch+json")
        // The pod scaled away terminates (deletionTimestamp set) and goes after its grace period.
        XCTAssertEqual(pods(h, "web").filter { $0[path: "metadata", "deletionTimestamp"] == nil }.count, 1)
        eventually("one pod left") { pods(h, "web").count == 1 }
        XCTAssertEqual(try h.json("DELETE", "/apis/apps/v1/namespaces/default/deployments/web").0, 200)
        // Background deletion: the garbage collector removes the ReplicaSet, then its pods, after the DELETE answered.
        eventually("pods collected") { pods(h, "web").isEmpty }
    }

    func testUnpullableImageStaysPendingWithWarningEvent() throws {
        let h = try ClusterHarness { $0.unpullableImage = "does-not-exist" }
        _ = try h.json("POST", "/apis/apps/v1/namespaces/default/deployments", body: deployment("bad", image: "example.com/does-not-exist:v1", replicas: 1))
        let p = pods(h, "bad")
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0][path: "status", "phase"]?.stringValue, "Pending")
        XCTAssertEqual(p[0][path: "status", "containerStatuses"]?[0]?[path: "state", "waiting", "reason"]?.stringValue, "ImagePullBackOff")
        let events = h.sim.objects(group: "", version: "v1", resource: "events", namespace: "default")
        XCTAssertTrue(events.contains {
            $0["type"]?.stringValue == "Warning" && ($0["message"]?.stringValue ?? "").contains("example.com/does-not-exist:v1")
        })
        // Proof that the kubelet had its chance: a Deployment created after this one, with an
        // image that pulls, becomes available. Its pod was due later and pods turn ready in the
        // order they are due, so "bad" would be ready by now if it ever were going to be.
        _ = try h.json("POST", "/apis/apps/v1/namespaces/default/deployments", body: deployment("good", image: "nginx", replicas: 1))
        eventually("the later Deployment \"good\" available") {
            h.deployment("good", in: "default")?[path: "status", "availableReplicas"]?.intValue == 1
        }
        let d = h.sim.object(group: "apps", version: "v1", resource: "deployments", namespace: "default", name: "bad")
        XCTAssertNil(d?[path: "status", "availableReplicas"])
        XCTAssertTrue(d?[path: "status", "conditions"]?.arrayValue?.contains { $0["type"] == "Available" && $0["status"] == "False" } == true)
        XCTAssertEqual(pods(h, "bad")[0][path: "status", "phase"]?.stringValue, "Pending")
    }

    func testSeededDeploymentGetsPods() throws {
        let h = try ClusterHarness()
        var d = deployment("upstream", image: "openservicemesh/osm-controller:v0.8.4", replicas: 1)
        d["metadata"]?["namespace"] = "osm-system"
        d["metadata"]?["labels"] = ["app": "osm-controller", "meshName": "osm"]
        try h.sim.put(d)
        XCTAssertNotNil(h.sim.object(group: "", version: "v1", resource: "namespaces", namespace: nil, name: "osm-system"))
        let got = h.sim.object(group: "apps", version: "v1", resource: "deployments", namespace: "osm-system", name: "upstream")
        XCTAssertEqual(got?[path: "metadata", "labels", "meshName"]?.stringValue, "osm")
        XCTAssertNotNil(got?[path: "metadata", "uid"]?.stringValue)
        XCTAssertEqual(h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "osm-system").count, 1)
        let listed = try h.json("GET", "/apis/apps/v1/deployments?labelSelector=app%3Dosm-controller").1
        XCTAssertEqual(listed["items"]?.arrayValue?.count, 1)
    }
}
