import KubeSim
import XCTest
import ObjectModel
import TestSupport

/// The server's decoding, validation, immutability, size and parameter rules, over plain HTTPS and kubectl.
final class ValidationTests: XCTestCase {
    var h: ClusterHarness!

    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    private func causes(_ v: JSONValue) -> [String] {
        (v[path: "details", "causes"]?.arrayValue ?? []).map { "\($0["reason"]?.stringValue ?? "") \($0["field"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")" }
    }

    func testWrongJSONTypesAre400AndNothingIsStored() throws {
        let (s1, cm) = try h.json("POST", "/api/v1/namespaces/default/configmaps",
                                  body: ["metadata": ["name": "typed"], "data": ["a": 1]])
        XCTAssertEqual(s1, 400)
        XCTAssertEqual(cm["reason"]?.stringValue, "BadRequest")
        XCTAssertEqual(cm["message"]?.stringValue,
                       "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string")
        XCTAssertNil(h.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: "typed"))

        let (s2, d) = try h.json("POST", "/apis/apps/v1/namespaces/default/deployments", body: [
            "metadata": ["name": "web"], "spec": ["replicas": "two"],
        ])
        XCTAssertEqual(s2, 400)
        XCTAssertEqual(d["message"]?.stringValue,
                       "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
        let (s3, sec) = try h.json("POST", "/api/v1/namespaces/default/secrets", body: ["metadata": ["name": "s"], "data": ["k": "not base64!"]])
        XCTAssertEqual(s3, 400)
        XCTAssertEqual(sec["message"]?.stringValue, "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3")
    }

    func testRequiredFieldsAndValueRulesAre422WithCauses() throws {
        let dep: JSONValue = [
            "metadata": ["name": "web", "labels": ["bad key!": "x"]],
            "spec": ["selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "other"]],
                                  "spec": ["containers": [["name": "c"]]]]],
        ]
        let (s, v) = try h.json("POST", "/apis/apps/v1/namespaces/default/deployments", body: dep)
        XCTAssertEqual(s, 422)
        XCTAssertEqual(v["reason"]?.stringValue, "Invalid")
        XCTAssertEqual(v[path: "details", "kind"]?.stringValue, "Deployment")
        XCTAssertEqual(v[path: "details", "group"]?.stringValue, "apps")
        XCTAssertEqual(causes(v), [
            "FieldValueInvalid metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "FieldValueInvalid spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`",
            "FieldValueRequired spec.template.spec.containers[0].image: Required value",
        ])
        XCTAssertTrue(v["message"]?.stringValue?.hasPrefix("Deployment.apps \"web\" is invalid: [metadata.labels: Invalid value: \"bad key!\"") == true)

        let hook: JSONValue = [
            "metadata": ["name": "hook"],
            "webhooks": [["name": "a.b.c", "clientConfig": ["service": ["name": "s", "namespace": "n", "path": "/x"]]]],
        ]
        let (ws, w) = try h.json("POST", "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", body: hook)
        XCTAssertEqual(ws, 422)
        XCTAssertEqual(causes(w), [
            "FieldValueRequired webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
            "FieldValueRequired webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1",
        ])
        // v1beta1 defaults both, so the same body is fine there.
        let (bs, b) = try h.json("POST", "/apis/admissionregistration.k8s.io/v1beta1/mutatingwebhookconfigurations", body: hook)
        XCTAssertEqual(bs, 201)
        XCTAssertEqual(b[path: "webhooks"]?[0]?["sideEffects"], "Unknown")
        XCTAssertEqual(b[path: "webhooks"]?[0]?["admissionReviewVersions"], ["v1beta1"])
        XCTAssertEqual(b[path: "webhooks"]?[0]?["failurePolicy"], "Ignore")

        let crd: JSONValue = [
            "metadata": ["name": "things.example.com"],
            "spec": ["group": "example.com", "scope": "Namespaced", "names": ["plural": "widgets", "kind": "Widget"],
                     "versions": [["name": "v1", "served": true, "storage": true,
                                   "schema": ["openAPIV3Schema": ["type": "object"]]]]],
        ]
        let (cs, c) = try h.json("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: crd)
        XCTAssertEqual(cs, 422)
        XCTAssertEqual(c["message"]?.stringValue,
                       "CustomResourceDefinition.apiextensions.k8s.io \"things.example.com\" is invalid: metadata.name: Invalid value: \"things.example.com\": must be spec.names.plural+\".\"+spec.group")

        let (ks, k) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "keys"], "data": ["bad key": "1"]])
        XCTAssertEqual(ks, 422)
        XCTAssertEqual(causes(k), [
            "FieldValueInvalid data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        ])
    }

    func testImmutableFields() throws {
        XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/services", body: [
            "metadata": ["name": "svc"], "spec": ["ports": [["port": 80]], "selector": ["app": "a"]],
        ]).0, 201)
        var (s, v) = try h.json("PATCH", "/api/v1/namespaces/default/services/svc", body: ["spec": ["clusterIP": "10.96.99.99"]],
                                contentType: "application/merge-patch+json")
        XCTAssertEqual(s, 422)
        XCTAssertTrue(v["message"]?.stringValue?.hasSuffix("may not change once set") == true, v["message"]?.stringValue ?? "")

        XCTAssertEqual(try h.kubectl("create", "deployment", "web", "--image=nginx").status, 0)
        (s, v) = try h.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                            body: ["spec": ["selector": ["matchLabels": ["app": "other"]], "template": ["metadata": ["labels": ["app": "other"]]]]],
                            contentType: "application/strategic-merge-patch+json")
        XCTAssertEqual(s, 422)
        XCTAssertEqual(causes(v), [
            "FieldValueInvalid spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
        ])

        XCTAssertEqual(try h.kubectl("create", "rolebinding", "rb", "--clusterrole=view", "--user=u").status, 0)
        (s, v) = try h.json("PATCH", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/rb",
                            body: ["roleRef": ["name": "edit"]], contentType: "application/merge-patch+json")
        XCTAssertEqual(v["message"]?.stringValue,
                       "RoleBinding.rbac.authorization.k8s.io \"rb\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef")

        XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps",
                                  body: ["metadata": ["name": "frozen"], "data": ["a": "1"], "immutable": true]).0, 201)
        (s, v) = try h.json("PATCH", "/api/v1/namespaces/default/configmaps/frozen", body: ["data": ["a": "2"]],
                            contentType: "application/merge-patch+json")
        XCTAssertEqual(s, 422)
        XCTAssertEqual(v["message"]?.stringValue, "ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
    }

    func testSizeLimits() throws {
        let big = String(repeating: "x", count: 1024 * 1024 + 1)
        let (s, v) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "big"], "data": ["k": .string(big)]])
        XCTAssertEqual(s, 422)
        XCTAssertEqual(v["message"]?.stringValue, "ConfigMap \"big\" is invalid: []: Too long: must have at most 1048576 bytes")
        let huge: JSONValue = ["metadata": ["name": "huge"], "data": ["k": .string(String(repeating: "y", count: 3 * 1024 * 1024))]]
        let r = try h.request("POST", "/api/v1/namespaces/default/configmaps", body: huge.jsonString())
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.json?["message"]?.stringValue, "Request entity too large: limit is 3145728")
        XCTAssertEqual(r.json?["reason"]?.stringValue, "RequestEntityTooLarge")
    }

    func testBadParameters() throws {
        let r = try h.request("GET", "/api/v1/namespaces/default/configmaps?fieldSelector=spec.foo%3Dbar")
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json?["message"]?.stringValue, "field label not supported: spec.foo")
        XCTAssertEqual(try h.request("GET", "/api/v1/pods?fieldSelector=status.phase%3DRunning").status, 200)

        let (s, v) = try h.json("POST", "/api/v1/namespaces/default/configmaps?dryRun=true", body: ["metadata": ["name": "dry"]])
        XCTAssertEqual(s, 422)
        XCTAssertEqual(v["message"]?.stringValue,
                       "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"true\"}: supported values: \"All\"")
        XCTAssertNil(h.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: "dry"))

        let crd: JSONValue = [
            "metadata": ["name": "widgets.example.com"],
            "spec": ["group": "example.com", "scope": "Namespaced", "names": ["plural": "widgets", "kind": "Widget"],
                     "versions": [["name": "v1", "served": true, "storage": true,
                                   "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]],
        ]
        XCTAssertEqual(try h.json("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: crd).0, 201)
        XCTAssertEqual(try h.json("POST", "/apis/example.com/v1/namespaces/default/widgets", body: ["metadata": ["name": "w"], "spec": ["a": 1]]).0, 201)
        let (ps, p) = try h.json("PATCH", "/apis/example.com/v1/namespaces/default/widgets/w", body: ["spec": ["a": 2]],
                                 contentType: "application/strategic-merge-patch+json")
        XCTAssertEqual(ps, 415)
        XCTAssertEqual(p["message"]?.stringValue,
                       "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        XCTAssertEqual(try h.json("PATCH", "/apis/example.com/v1/namespaces/default/widgets/w", body: ["spec": ["a": 2]],
                                  contentType: "application/merge-patch+json").0, 200)
    }

    /// An update through v1 keeps to v1's stricter webhook rules (no side effects, unique names) only
    /// where the stored object already met them, as kubernetes v1.20's
    /// pkg/apis/admissionregistration/validation/validation.go ValidateMutatingWebhookConfigurationUpdate
    /// (requireNoSideEffects(requestGV) && mutatingHasNoSideEffects(oldC.Webhooks)) ratchets: osm-injector
    /// patches the caBundle of its v1beta1-made configuration through v1 (kubectl patch does too).
    func testWebhookConfigurationUpdatesRatchet() throws {
        let h = try ClusterHarness()
        let service: JSONValue = ["service": ["name": "osm-injector", "namespace": "osm-system", "path": "/mutate"]]
        for (plural, kind) in [("mutatingwebhookconfigurations", "mutatingwebhookconfiguration"),
                               ("validatingwebhookconfigurations", "validatingwebhookconfiguration")] {
            let legacy: JSONValue = [
                "metadata": ["name": "legacy"],
                "webhooks": [["name": "osm-inject.k8s.io", "clientConfig": service, "sideEffects": "Unknown"],
                             ["name": "osm-inject.k8s.io", "clientConfig": service, "sideEffects": "Some"]],
            ]
            XCTAssertEqual(try h.json("POST", "/apis/admissionregistration.k8s.io/v1beta1/\(plural)", body: legacy).0, 201)
            var out = try h.kubectl("patch", kind, "legacy", "--type=json",
                                    "-p", #"[{"op":"add","path":"/webhooks/0/clientConfig/caBundle","value":"Y2E="}]"#)
            XCTAssertEqual(out.stdout, "\(kind).admissionregistration.k8s.io/legacy patched\n", out.stderr)
            let stored = try XCTUnwrap(h.sim.object(group: "admissionregistration.k8s.io", version: "v1", resource: plural, namespace: nil, name: "legacy"))
            XCTAssertEqual(stored[path: "webhooks"]?[0]?[path: "clientConfig", "caBundle"], "Y2E=")
            XCTAssertEqual(stored[path: "webhooks"]?[0]?["sideEffects"], "Unknown")

            // Made through v1 with no side effects: v1's rule holds on every later v1 update.
            let strict: JSONValue = [
                "metadata": ["name": "strict"],
                "webhooks": [["name": "osm-inject.k8s.io", "clientConfig": service, "sideEffects": "None",
                              "admissionReviewVersions": ["v1"]]],
            ]
            XCTAssertEqual(try h.json("POST", "/apis/admissionregistration.k8s.io/v1/\(plural)", body: strict).0, 201)
            out = try h.kubectl("patch", kind, "strict", "--type=json",
                                "-p", #"[{"op":"replace","path":"/webhooks/0/sideEffects","value":"Unknown"}]"#)
            XCTAssertEqual(out.status, 1)
            XCTAssertTrue(out.errors.contains(#"webhooks[0].sideEffects: Unsupported value: "Unknown": supported values: "None", "NoneOnDryRun""#), out.errors)
            out = try h.kubectl("patch", kind, "strict", "--type=json",
                                "-p", #"[{"op":"add","path":"/webhooks/-","value":{"name":"osm-inject.k8s.io","clientConfig":{"url":"https://x"},"sideEffects":"None","admissionReviewVersions":["v1"]}}]"#)
            XCTAssertTrue(out.errors.contains(#"webhooks[1].name: Duplicate value: "osm-inject.k8s.io""#), out.errors)
        }
    }
}
