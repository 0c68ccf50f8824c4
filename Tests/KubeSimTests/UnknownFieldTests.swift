import KubeSim
import TestSupport
import XCTest
import ObjectModel

/// Fields a built-in kind's Go types do not declare, sent past kubectl's validation (curl).
/// 1.20 decodes bodies with json-iterator configured to ignore unknown fields
/// (staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json/json.go, caseSensitiveJsonIterator), so
/// they are dropped at every depth and never stored; it has no `fieldValidation` parameter and ignores it.
/// From 1.25 (ServerSideFieldValidation on by default) `fieldValidation=Strict` refuses them with 400,
/// each named by its path (staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json/json.go in 1.25,
/// sigs.k8s.io/json strict errors).
final class UnknownFieldTests: XCTestCase {
    static let deployment: JSONValue = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web", "colour": "blue"],
        "spec": [
            "replcas": 3,
            "selector": ["matchLabels": ["app": "web"]],
            "template": [
                "metadata": ["labels": ["app": "web"]],
                "spec": ["containers": [["name": "web", "image": "nginx", "imagee": "typo",
                                         "ports": [["containerPort": 80, "prot": "TCP"]]]]],
            ],
        ],
    ]

    func testDroppedAtEveryDepthBy120EvenWhenStrictIsAsked() throws {
        let h = try ClusterHarness()
        for (name, query) in [("web", ""), ("strict", "?fieldValidation=Strict")] {
            var body = Self.deployment
            body["metadata"]?["name"] = .string(name)
            let (status, created) = try h.json("POST", "/apis/apps/v1/namespaces/default/deployments\(query)", body: body)
            XCTAssertEqual(status, 201, created.jsonString())
            let stored = try XCTUnwrap(h.deployment(name, in: "default"))
            for object in [created, stored] {
                XCTAssertNil(object[path: "metadata", "colour"])
                XCTAssertNil(object[path: "spec", "replcas"])
                XCTAssertEqual(object[path: "spec", "replicas"], 1)  // defaulted: the typo did not count
                let container = object[path: "spec", "template", "spec", "containers"]?[0]
                XCTAssertEqual(container?["image"], "nginx")
                XCTAssertNil(container?["imagee"])
                XCTAssertNil(container?["ports"]?[0]?["prot"])
                XCTAssertEqual(container?["ports"]?[0]?["containerPort"], 80)
            }
        }
        // Updates and patches decode the same way; maps keep their keys (labels are a map, not fields).
        let (status, patched) = try h.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                                           body: ["spec": ["paused": true, "pausd": true], "metadata": ["labels": ["any-key": "v"]]],
                                           contentType: "application/merge-patch+json")
        XCTAssertEqual(status, 200, patched.jsonString())
        XCTAssertEqual(patched[path: "spec", "paused"], true)
        XCTAssertNil(patched[path: "spec", "pausd"])
        XCTAssertEqual(patched[path: "metadata", "labels", "any-key"], "v")
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["k": "v"], "colour": "x"]
        let (cmStatus, cmCreated) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: cm)
        XCTAssertEqual(cmStatus, 201)
        XCTAssertEqual(cmCreated["data"], ["k": "v"])
        XCTAssertNil(cmCreated["colour"])
    }

    func testStrictRefusesThemAtEveryDepthFrom125() throws {
        let h = try ClusterHarness { $0.serverVersion = "v1.25.0" }
        let r = try h.request("POST", "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict",
                              body: Self.deployment.jsonString())
        XCTAssertEqual(r.status, 400, r.body)
        XCTAssertEqual(r.json?["reason"], "BadRequest")
        XCTAssertEqual(r.json?["message"]?.stringValue,
                       "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"metadata.colour\", unknown field \"spec.replcas\", unknown field \"spec.template.spec.containers[0].imagee\", unknown field \"spec.template.spec.containers[0].ports[0].prot\"")
        XCTAssertNil(h.deployment("web", in: "default"))
        // Without Strict a 1.25 server drops them as 1.20 does.
        let (status, created) = try h.json("POST", "/apis/apps/v1/namespaces/default/deployments", body: Self.deployment)
        XCTAssertEqual(status, 201)
        XCTAssertNil(created[path: "spec", "replcas"])
    }

    static func crd(_ apiVersion: String, group: String, kind: String, schemaless: Bool = false, extra: JSONObject = [:]) -> JSONValue {
        let schema: JSONValue = ["type": "object", "properties": [
            "spec": ["type": "object", "properties": [
                "cronSpec": ["type": "string"],
                "extra": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                "selector": ["type": "object", "additionalProperties": ["type": "string"]],
                "jobs": ["type": "array", "items": ["type": "object", "properties": ["name": ["type": "string"]]]],
            ]],
        ]]
        let plural = kind.lowercased() + "s"
        var spec: JSONObject = ["group": .string(group), "scope": "Namespaced",
                                "names": ["plural": .string(plural), "singular": .string(kind.lowercased()), "kind": .string(kind)]]
        if apiVersion.hasSuffix("v1beta1") {
            spec["version"] = "v1"
            if !schemaless { spec["validation"] = ["openAPIV3Schema": schema] }
        } else {
            spec["versions"] = [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": schema]]]
        }
        for (k, v) in extra { spec[k] = v }
        return ["apiVersion": .string(apiVersion), "kind": "CustomResourceDefinition",
                "metadata": ["name": .string("\(plural).\(group)")], "spec": .object(spec)]
    }

    static let cronTab: JSONValue = [
        "kind": "CronTab", "metadata": ["name": "c"],
        "spec": ["cronSpec": "* * * * *", "cronSpc": "typo", "extra": ["any": ["thing": 1]], "selector": ["a": "b"],
                 "jobs": [["name": "j", "nmae": "typo"]]],
        "status": ["phase": "x"],
    ]

    /// v1 CRDs, and v1beta1 ones with `preserveUnknownFields: false`, prune by their structural schema
    /// (staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning/algorithm.go); v1beta1 CRDs
    /// that keep unknown fields (the default there, osm's SMI CRDs) store what they are sent.
    func testCustomResourcesArePrunedByTheirStructuralSchema() throws {
        let h = try ClusterHarness()
        let crds = [
            ("stable.example.com", Self.crd("apiextensions.k8s.io/v1", group: "stable.example.com", kind: "CronTab"), true),
            ("pruned.example.com", Self.crd("apiextensions.k8s.io/v1beta1", group: "pruned.example.com", kind: "CronTab",
                                           extra: ["preserveUnknownFields": false]), true),
            ("kept.example.com", Self.crd("apiextensions.k8s.io/v1beta1", group: "kept.example.com", kind: "CronTab"), false),
        ]
        for (group, crd, prunes) in crds {
            XCTAssertEqual(try h.json("POST", "/apis/apiextensions.k8s.io/\(crd["apiVersion"]!.stringValue!.dropFirst(21))/customresourcedefinitions", body: crd).0, 201)
            var body = Self.cronTab
            body["apiVersion"] = .string("\(group)/v1")
            let (status, created) = try h.json("POST", "/apis/\(group)/v1/namespaces/default/crontabs", body: body)
            XCTAssertEqual(status, 201, created.jsonString())
            let stored = try XCTUnwrap(h.sim.object(group: group, version: "v1", resource: "crontabs", namespace: "default", name: "c"))
            for object in [created, stored] {
                XCTAssertEqual(object[path: "spec", "cronSpec"], "* * * * *", group)
                XCTAssertEqual(object[path: "spec", "extra"], ["any": ["thing": 1]], group)
                XCTAssertEqual(object[path: "spec", "selector"], ["a": "b"], group)
                XCTAssertEqual(object[path: "spec", "jobs"]?[0]?["name"], "j", group)
                XCTAssertEqual(object[path: "spec", "cronSpc"] == nil, prunes, group)
                XCTAssertEqual(object[path: "spec", "jobs"]?[0]?["nmae"] == nil, prunes, group)
                XCTAssertEqual(object["status"] == nil, prunes, group)
            }
        }
    }

    func testStrictRefusesUnknownFieldsOfCustomResourcesFrom125() throws {
        let h = try ClusterHarness { $0.serverVersion = "v1.25.0" }
        XCTAssertEqual(try h.json("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                  body: Self.crd("apiextensions.k8s.io/v1", group: "stable.example.com", kind: "CronTab")).0, 201)
        var body = Self.cronTab
        body["apiVersion"] = "stable.example.com/v1"
        let r = try h.request("POST", "/apis/stable.example.com/v1/namespaces/default/crontabs?fieldValidation=Strict", body: body.jsonString())
        XCTAssertEqual(r.status, 400, r.body)
        XCTAssertEqual(r.json?["message"]?.stringValue,
                       "CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding error: unknown field \"spec.cronSpc\", unknown field \"spec.jobs[0].nmae\", unknown field \"status\"")
    }
}
