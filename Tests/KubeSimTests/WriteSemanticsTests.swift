import XCTest
import ObjectModel
import TestSupport

final class WriteSemanticsTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    func testServerSetMetadataAndIncreasingResourceVersions() throws {
        let (s1, a) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "a"], "data": ["x": "1"]])
        let (s2, b) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["generateName": "gen-"]])
        XCTAssertEqual(s1, 201)
        XCTAssertEqual(s2, 201)
        XCTAssertEqual(a["kind"]?.stringValue, "ConfigMap")
        XCTAssertEqual(a[path: "metadata", "uid"]?.stringValue?.count, 36)
        XCTAssertNotNil(a[path: "metadata", "creationTimestamp"]?.stringValue)
        let rvA = Int(a[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
        let rvB = Int(b[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
        XCTAssertGreaterThan(rvB, rvA)
        let genName = b[path: "metadata", "name"]?.stringValue ?? ""
        XCTAssertTrue(genName.hasPrefix("gen-") && genName.count == 9, genName)
    }

    func testErrorsHaveRealReasonsAndMessages() throws {
        var (status, body) = try h.json("POST", "/api/v1/namespaces/nope/configmaps", body: ["metadata": ["name": "a"]])
        XCTAssertEqual(status, 404)
        XCTAssertEqual(body["message"]?.stringValue, "namespaces \"nope\" not found")
        (status, body) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "Bad.Name"]])
        XCTAssertEqual(status, 422)
        XCTAssertEqual(body["reason"]?.stringValue, "Invalid")
        XCTAssertEqual(body[path: "details", "causes"]?[0]?["field"]?.stringValue, "metadata.name")
        (status, body) = try h.json("GET", "/apis/apps/v1/namespaces/default/deployments/none")
        XCTAssertEqual(status, 404)
        XCTAssertEqual(body["message"]?.stringValue, "deployments.apps \"none\" not found")
        XCTAssertEqual(body[path: "details", "group"]?.stringValue, "apps")
        (status, body) = try h.json("GET", "/api/v1/widgets")
        XCTAssertEqual(status, 404)
        XCTAssertEqual(body["kind"]?.stringValue, "Status")
        (status, body) = try h.json("POST", "/api/v1/namespaces", body: ["metadata": ["name": "default"]])
        XCTAssertEqual(status, 409)
        XCTAssertEqual(body["message"]?.stringValue, "namespaces \"default\" already exists")
    }

    func testPutConflictOnStaleResourceVersion() throws {
        let (_, created) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "c"], "data": ["a": "1"]])
        var v1 = created
        v1["data"] = ["a": "2"]
        let (s1, updated) = try h.json("PUT", "/api/v1/namespaces/default/configmaps/c", body: v1)
        XCTAssertEqual(s1, 200)
        XCTAssertNotEqual(updated[path: "metadata", "resourceVersion"], created[path: "metadata", "resourceVersion"])
        var stale = created
        stale["data"] = ["a": "3"]
        let (s2, conflict) = try h.json("PUT", "/api/v1/namespaces/default/configmaps/c", body: stale)
        XCTAssertEqual(s2, 409)
        XCTAssertEqual(conflict["reason"]?.stringValue, "Conflict")
        XCTAssertEqual(conflict["message"]?.stringValue,
                       "Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again")
    }

    static let deployment: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "d", "labels": ["app": "d"]],
        "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "d"]],
                 "template": ["metadata": ["labels": ["app": "d"]],
                              "spec": ["containers": [
                                  ["name": "main", "image": "busybox", "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]],
                                   "ports": [["containerPort": 80], ["containerPort": 443]]],
                                  ["name": "side", "image": "envoy"],
                              ]]]],
    ]

    func testStrategicMergePatchMergesContainersEnvAndPortsByKey() throws {
        XCTAssertEqual(try h.json("POST", "/apis/apps/v1/namespaces/default/deployments", body: Self.deployment).0, 201)
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [
            ["name": "main", "image": "busybox:2", "env": [["name": "B", "value": "20"], ["name": "A", "$patch": "delete"], ["name": "C", "value": "3"]],
             "ports": [["containerPort": 8080]]],
        ]]]]]
        let (status, d) = try h.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/d", body: patch,
                                     contentType: "application/strategic-merge-patch+json")
        XCTAssertEqual(status, 200, d.jsonString())
        let containers = d[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
        XCTAssertEqual(containers.count, 2)
        XCTAssertEqual(containers[0]["image"]?.stringValue, "busybox:2")
        XCTAssertEqual(containers[0]["env"], [["name": "B", "value": "20"], ["name": "C", "value": "3"]])
        XCTAssertEqual(containers[0]["ports"]?.arrayValue?.count, 3)
        XCTAssertEqual(containers[1]["name"]?.stringValue, "side")
        XCTAssertEqual(d[path: "metadata", "generation"]?.intValue, 2)

        let labelsOnly: JSONValue = ["metadata": ["labels": ["extra": "yes", "app": nil]]]
        let (_, d2) = try h.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/d", body: labelsOnly,
                                 contentType: "application/strategic-merge-patch+json")
        XCTAssertEqual(d2[path: "metadata", "labels"], ["extra": "yes"])
        XCTAssertEqual(d2[path: "metadata", "generation"]?.intValue, 2, "metadata changes leave generation alone")
    }

    func testJSONPatchAndMergePatchOnNamespaceLabels() throws {
        let merge: JSONValue = ["metadata": ["labels": ["openservicemesh.io/monitored-by": "osm"], "annotations": ["a": "b"]]]
        var (status, ns) = try h.json("PATCH", "/api/v1/namespaces/default", body: merge, contentType: "application/merge-patch+json")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(ns[path: "metadata", "labels", "openservicemesh.io/monitored-by"]?.stringValue, "osm")
        let jsonPatch: JSONValue = [["op": "remove", "path": "/metadata/labels/openservicemesh.io~1monitored-by"],
                                    ["op": "add", "path": "/metadata/annotations/c", "value": "d"]]
        (status, ns) = try h.json("PATCH", "/api/v1/namespaces/default", body: jsonPatch, contentType: "application/json-patch+json")
        XCTAssertEqual(status, 200, ns.jsonString())
        XCTAssertNil(ns[path: "metadata", "labels", "openservicemesh.io/monitored-by"])
        XCTAssertEqual(ns[path: "metadata", "annotations"], ["a": "b", "c": "d"])
        let r = try h.request("PATCH", "/api/v1/namespaces/default", body: "{}", contentType: "text/plain")
        XCTAssertEqual(r.status, 415)
    }

    func testStatusSubresourceAndMainResourceIgnoreEachOther() throws {
        _ = try h.json("POST", "/apis/apps/v1/namespaces/default/deployments", body: Self.deployment)
        // Read back: the controller has added its revision annotation, and a PUT without it would change the
        // annotations, which bumps a Deployment's generation (deployment strategy PrepareForUpdate).
        let (_, created) = try h.json("GET", "/apis/apps/v1/namespaces/default/deployments/d")
        var withStatus = created
        withStatus["status"] = ["replicas": 99]
        withStatus["metadata"]?["resourceVersion"] = nil
        let (_, put) = try h.json("PUT", "/apis/apps/v1/namespaces/default/deployments/d", body: withStatus)
        XCTAssertNotEqual(put[path: "status", "replicas"]?.intValue, 99)
        XCTAssertEqual(put[path: "metadata", "generation"]?.intValue, 1)
        let (status, patched) = try h.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/d/status",
                                           body: ["status": ["observedGeneration": 7]], contentType: "application/merge-patch+json")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(patched[path: "status", "observedGeneration"]?.intValue, 7)
    }

    func testDeleteReturnsStatusAndDeleteCollection() throws {
        for n in ["p", "q"] {
            _ = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": .string(n), "labels": ["del": "yes"]]])
        }
        let (status, body) = try h.json("DELETE", "/api/v1/namespaces/default/configmaps/p")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["status"]?.stringValue, "Success")
        XCTAssertEqual(try h.json("DELETE", "/api/v1/namespaces/default/configmaps/p").0, 404)
        XCTAssertEqual(try h.json("DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=del%3Dyes").0, 200)
        XCTAssertNil(h.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: "q"))
    }

    func testSecretStringDataBecomesData() throws {
        let (_, s) = try h.json("POST", "/api/v1/namespaces/default/secrets", body: ["metadata": ["name": "s"], "stringData": ["k": "v"]])
        XCTAssertEqual(s["data"], ["k": "dg=="])
        XCTAssertNil(s["stringData"])
        XCTAssertEqual(s["type"]?.stringValue, "Opaque")
    }

    func testExpectContinueIsAnswered() throws {
        let value: JSONValue = ["metadata": ["name": "big"], "data": ["k": .string(String(repeating: "x", count: 5000))]]
        let body = value.jsonString()
        let out = try ProcessRunner.run("/usr/bin/curl", [
            "-s", "--http1.1", "-D", "-", "-o", "/dev/null", "--cacert", h.caFile, "--cert", h.adminCertificate.cert,
            "--key", h.adminCertificate.key, "-H", "Content-Type: application/json", "-H", "Expect: 100-continue",
            "--data-binary", "@-", h.sim.url + "/api/v1/namespaces/default/configmaps",
        ], stdin: body)
        XCTAssertTrue(out.stdout.hasPrefix("HTTP/1.1 100 Continue"), out.stdout)
        XCTAssertTrue(out.stdout.contains("HTTP/1.1 201 Created"), out.stdout)
    }
}
