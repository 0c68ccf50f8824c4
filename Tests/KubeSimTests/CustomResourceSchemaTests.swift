import KubeSim
import TestSupport
import XCTest
import ObjectModel

/// A v1 CRD's structural schema also defaults and validates its custom resources, and the status
/// subresource keeps `status` out of a create, as kube-apiserver 1.20's apiextensions-apiserver:
/// staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting/algorithm.go (Default),
/// pkg/apiserver/validation/validation.go (ValidateCustomResource: go-openapi's InvalidType,
/// EnumFail and Required errors as field.TypeInvalid, field.NotSupported and field.Required), and
/// pkg/registry/customresource/strategy.go (PrepareForCreate drops status with the subresource on).
final class CustomResourceSchemaTests: XCTestCase {
    static let crd: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "crontabs.stable.example.com"],
        "spec": [
            "group": "stable.example.com", "scope": "Namespaced",
            "names": ["plural": "crontabs", "singular": "crontab", "kind": "CronTab"],
            "versions": [[
                "name": "v1", "served": true, "storage": true,
                "subresources": ["status": [:]],
                "schema": ["openAPIV3Schema": [
                    "type": "object",
                    "properties": [
                        "spec": [
                            "type": "object", "required": ["image"],
                            "properties": [
                                "image": ["type": "string"],
                                "replicas": ["type": "integer", "default": 1],
                                "mode": ["type": "string", "enum": ["fast", "slow"], "default": "slow"],
                                "ratio": ["type": "number"],
                                "jobs": ["type": "array", "items": [
                                    "type": "object", "properties": ["retries": ["type": "integer", "default": 3]]]],
                            ],
                        ],
                        "status": ["type": "object", "properties": ["phase": ["type": "string"]]],
                    ],
                ]],
            ]],
        ],
    ]

    private func harness() throws -> ClusterHarness {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.json("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: Self.crd).0, 201)
        return h
    }

    private func cronTab(_ name: String, spec: JSONValue) -> JSONValue {
        ["apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": ["name": .string(name)], "spec": spec,
         "status": ["phase": "Done"]]
    }

    func testDefaultsAreAppliedAtEveryDepthAndStatusIsDroppedOnCreate() throws {
        let h = try harness()
        let (status, created) = try h.json("POST", "/apis/stable.example.com/v1/namespaces/default/crontabs",
                                           body: cronTab("c", spec: ["image": "busybox", "ratio": 2, "jobs": [["retries": 5], [:]]]))
        XCTAssertEqual(status, 201, created.jsonString())
        let stored = try XCTUnwrap(h.sim.object(group: "stable.example.com", version: "v1", resource: "crontabs", namespace: "default", name: "c"))
        for object in [created, stored] {
            XCTAssertEqual(object[path: "spec", "replicas"], 1)
            XCTAssertEqual(object[path: "spec", "mode"], "slow")
            XCTAssertEqual(object[path: "spec", "jobs"], [["retries": 5], ["retries": 3]])
            XCTAssertNil(object["status"], "the status subresource is on: a create carries no status")
        }
    }

    func testTypesEnumsAndRequiredFieldsAre422s() throws {
        let h = try harness()
        let cases: [(JSONValue, String)] = [
            (["image": "busybox", "replicas": "three"],
             #"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#),
            (["image": "busybox", "mode": "medium"],
             #"spec.mode: Unsupported value: "medium": supported values: "fast", "slow""#),
            (["replicas": 2], "spec.image: Required value"),
            (["image": "busybox", "jobs": [["retries": true]]],
             #"spec.jobs[0].retries: Invalid value: "boolean": spec.jobs[0].retries in body must be of type integer: "boolean""#),
        ]
        for (spec, message) in cases {
            let (status, answer) = try h.json("POST", "/apis/stable.example.com/v1/namespaces/default/crontabs", body: cronTab("bad", spec: spec))
            XCTAssertEqual(status, 422, answer.jsonString())
            XCTAssertEqual(answer["reason"], "Invalid")
            XCTAssertEqual(answer["message"]?.stringValue, "CronTab.stable.example.com \"bad\" is invalid: \(message)")
            XCTAssertNil(h.sim.object(group: "stable.example.com", version: "v1", resource: "crontabs", namespace: "default", name: "bad"))
        }
        // A whole number is a number too; kubectl 1.32 shows the server's 422 as it is.
        XCTAssertEqual(try h.json("POST", "/apis/stable.example.com/v1/namespaces/default/crontabs",
                                  body: cronTab("ok", spec: ["image": "busybox", "ratio": 3])).0, 201)
        let manifest = h.file("bad.json")
        try cronTab("kubectl-bad", spec: ["image": "busybox", "mode": "medium"]).jsonString().write(toFile: manifest, atomically: true, encoding: .utf8)
        let r = try h.kubectl("create", "-f", manifest, "--validate=false")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains(#"spec.mode: Unsupported value: "medium": supported values: "fast", "slow""#), r.stderr)
    }
}
