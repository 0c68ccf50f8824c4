import KubeSim
import XCTest
import ObjectModel
import TestSupport

final class DiscoveryTests: XCTestCase {
    func testBetaGroupsExistBefore122Only() throws {
        let old = try ClusterHarness()
        var groups = try old.json("GET", "/apis").1
        var ext = groups["groups"]?.arrayValue?.first { $0["name"] == "apiextensions.k8s.io" }
        XCTAssertEqual(ext?["versions"]?.arrayValue?.compactMap { $0["version"]?.stringValue }, ["v1", "v1beta1"])
        XCTAssertEqual(ext?[path: "preferredVersion", "version"]?.stringValue, "v1")
        XCTAssertEqual(try old.json("GET", "/apis/admissionregistration.k8s.io/v1beta1").0, 200)

        let new = try ClusterHarness { $0.serverVersion = "v1.22.3" }
        groups = try new.json("GET", "/apis").1
        ext = groups["groups"]?.arrayValue?.first { $0["name"] == "apiextensions.k8s.io" }
        XCTAssertEqual(ext?["versions"]?.arrayValue?.count, 1)
        XCTAssertEqual(try new.json("GET", "/apis/admissionregistration.k8s.io/v1beta1").0, 404)
        XCTAssertEqual(try new.json("GET", "/version").1["gitVersion"]?.stringValue, "v1.22.3")
    }

    func testResourceListsAndCRDsAcrossVersions() throws {
        let h = try ClusterHarness()
        let core = try h.json("GET", "/api/v1").1
        let ns = core["resources"]?.arrayValue?.first { $0["name"] == "namespaces" }
        XCTAssertEqual(ns?["namespaced"]?.boolValue, false)
        XCTAssertEqual(ns?["shortNames"], ["ns"])
        XCTAssertEqual(ns?["kind"]?.stringValue, "Namespace")
        let apps = try h.json("GET", "/apis/apps/v1").1
        XCTAssertTrue(apps["resources"]?.arrayValue?.contains { $0["name"] == "deployments/status" } == true)

        let crd: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1beta1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "trafficsplits.split.smi-spec.io"],
            "spec": ["group": "split.smi-spec.io", "scope": "Namespaced",
                     "names": ["kind": "TrafficSplit", "plural": "trafficsplits", "singular": "trafficsplit"],
                     "versions": [["name": "v1alpha2", "served": true, "storage": true]]],
        ]
        XCTAssertEqual(try h.json("POST", "/apis/apiextensions.k8s.io/v1beta1/customresourcedefinitions", body: crd).0, 201)
        let v1 = try h.json("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/trafficsplits.split.smi-spec.io")
        XCTAssertEqual(v1.0, 200)
        XCTAssertEqual(v1.1["apiVersion"]?.stringValue, "apiextensions.k8s.io/v1")
        let webhook: JSONValue = ["metadata": ["name": "osm-webhook-osm"], "webhooks": []]
        XCTAssertEqual(try h.json("POST", "/apis/admissionregistration.k8s.io/v1beta1/mutatingwebhookconfigurations", body: webhook).0, 201)
    }

    func testOpenAPIV3IndexAndDocuments() throws {
        // 1.20 serves no /openapi/v3 (the OpenAPIV3 gate is beta, on by default, from 1.24:
        // pkg/features/kube_features.go in 1.24).
        XCTAssertEqual(try ClusterHarness().request("GET", "/openapi/v3").status, 404)
        let h = try ClusterHarness { $0.serverVersion = "v1.24.0" }
        let index = try h.json("GET", "/openapi/v3").1
        guard let url = index[path: "paths", "apis/apps/v1", "serverRelativeURL"]?.stringValue else {
            return XCTFail("no apps/v1 in \(index.jsonString())")
        }
        let doc = try h.json("GET", url).1
        let patch = doc[path: "paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch"]
        XCTAssertEqual(patch?["x-kubernetes-group-version-kind"], ["group": "apps", "version": "v1", "kind": "Deployment"])
        XCTAssertTrue(patch?["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } == true)
        XCTAssertNotNil(doc[path: "components", "schemas", "io.k8s.api.apps.v1.Deployment"])
    }

    func testWatchStreamsChanges() throws {
        let h = try ClusterHarness()
        let rv = try h.json("GET", "/api/v1/namespaces/default/configmaps").1[path: "metadata", "resourceVersion"]?.stringValue ?? "0"
        _ = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "w"]])
        let r = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(rv)&timeoutSeconds=1")
        XCTAssertEqual(r.status, 200)
        let events = r.body.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        XCTAssertEqual(events.first?["type"]?.stringValue, "ADDED")
        XCTAssertEqual(events.first?[path: "object", "metadata", "name"]?.stringValue, "w")

        let table = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(rv)&timeoutSeconds=1",
                                  headers: ["Accept: application/json;as=Table;v=v1;g=meta.k8s.io"])
        let tableEvent = table.body.split(separator: "\n").first.flatMap { try? JSONValue(parsing: String($0)) }
        XCTAssertEqual(tableEvent?[path: "object", "kind"]?.stringValue, "Table")
        XCTAssertEqual(tableEvent?[path: "object", "rows"]?[0]?["cells"]?[0]?.stringValue, "w")
    }

    func testAClusterScopedResourceUnderANamespacePathIsNotFound() throws {
        // As 1.20's router: `namespaces/x/<cluster-scoped resource>` has no route (404), whatever
        // RequestInfo reads for authorization.
        let h = try ClusterHarness()
        try h.createNamespace("x")
        try h.createNamespace("y")
        for path in ["/api/v1/namespaces/x/namespaces", "/api/v1/namespaces/x/namespaces/y",
                     "/apis/rbac.authorization.k8s.io/v1/namespaces/x/clusterroles"] {
            XCTAssertEqual(try h.json("GET", path).0, 404, path)
        }
        XCTAssertEqual(try h.json("DELETE", "/api/v1/namespaces/x/namespaces/y").0, 404)
        XCTAssertNotNil(h.namespace("y"))
        XCTAssertEqual(try h.json("GET", "/api/v1/namespaces/y").0, 200)
        XCTAssertEqual(try h.json("GET", "/api/v1/namespaces/y/status").0, 200)
    }

    func testCustomResourcesServedWhileTheirCRDExists() throws {
        let h = try ClusterHarness()
        let crd: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "meshconfigs.config.openservicemesh.io"],
            "spec": ["group": "config.openservicemesh.io", "scope": "Namespaced",
                     "names": ["kind": "MeshConfig", "plural": "meshconfigs", "singular": "meshconfig"],
                     "versions": [["name": "v1alpha1", "served": true, "storage": true,
                                   "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]],
        ]
        XCTAssertEqual(try h.json("GET", "/apis/config.openservicemesh.io/v1alpha1/namespaces/default/meshconfigs").0, 404)
        let (status, created) = try h.json("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: crd)
        XCTAssertEqual(status, 201)
        XCTAssertTrue(created[path: "status", "conditions"]?.arrayValue?.contains { $0["type"] == "Established" && $0["status"] == "True" } == true)
        let groups = try h.json("GET", "/apis").1
        XCTAssertTrue(groups["groups"]?.arrayValue?.contains { $0["name"] == "config.openservicemesh.io" } == true)

        let file = h.file("mc.yaml")
        try """
            apiVersion: config.openservicemesh.io/v1alpha1
            kind: MeshConfig
            metadata: {name: osm-mesh-config, namespace: default}
            spec: {traffic: {enableEgress: false}}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        var out = try h.kubectl("apply", "-f", file)
        XCTAssertEqual(out.stdout, "meshconfig.config.openservicemesh.io/osm-mesh-config created\n", out.stderr)
        out = try h.kubectl("patch", "meshconfig", "osm-mesh-config", "--type=merge", "-p", #"{"spec":{"traffic":{"enableEgress":true}}}"#)
        XCTAssertEqual(out.stdout, "meshconfig.config.openservicemesh.io/osm-mesh-config patched\n", out.stderr)
        let mc = h.sim.object(group: "config.openservicemesh.io", version: "v1alpha1", resource: "meshconfigs", namespace: "default", name: "osm-mesh-config")
        XCTAssertEqual(mc?[path: "spec", "traffic", "enableEgress"]?.boolValue, true)

        XCTAssertEqual(try h.json("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/meshconfigs.config.openservicemesh.io").0, 200)
        // The CRD terminates until 1.20's finalizer controller has deleted its instances; then they stop being served.
        eventually("meshconfigs stop being served") {
            (try? h.json("GET", "/apis/config.openservicemesh.io/v1alpha1/namespaces/default/meshconfigs").0) == 404
        }
    }
}
