import Foundation
import XCTest
import ObjectModel
import TestSupport

/// Server-side apply and managedFields as kube-apiserver v1.20.15 keeps them
/// (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager over sigs.k8s.io/structured-merge-diff/v4;
/// what a real server answers is written from those sources as 1.20 vendors them, not fetched here),
/// judged by kubectl 1.32 and curl.
final class ServerSideApplyTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = h.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func entries(_ object: JSONValue?) -> [JSONValue] {
        object?[path: "metadata", "managedFields"]?.arrayValue ?? []
    }

    private func entry(_ object: JSONValue?, _ manager: String, _ operation: String) -> JSONValue? {
        entries(object).first { $0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == operation }
    }

    private func applyPatch(_ path: String, _ yaml: String) throws -> ClusterHarness.Reply {
        try h.request("PATCH", path, body: yaml, contentType: "application/apply-patch+yaml")
    }

    // handlers/patch.go with metav1 validation ValidatePatchOptions (v1.20): an apply needs a
    // fieldManager ("is required for apply patch"), only an apply may carry force; a missing object is
    // created by the apply (201) with the applier's Apply entry.
    func testApplyNeedsFieldManagerCreatesAndRecordsItsFields() throws {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    app: x\ndata:\n  a: one\n"
        var r = try applyPatch("/api/v1/namespaces/default/configmaps/c", cm)
        XCTAssertEqual(r.status, 422, r.body)
        XCTAssertEqual(r.json?["message"]?.stringValue,
                       "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")

        r = try h.request("PATCH", "/api/v1/namespaces/default/configmaps/c?force=true", body: "{}",
                          contentType: "application/merge-patch+json")
        XCTAssertEqual(r.status, 422, r.body)
        XCTAssertEqual(r.json?["message"]?.stringValue,
                       "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch")

        r = try applyPatch("/api/v1/namespaces/default/configmaps/c?fieldManager=tool", cm)
        XCTAssertEqual(r.status, 201, r.body)
        let e = entry(r.json, "tool", "Apply")
        XCTAssertEqual(e?["apiVersion"]?.stringValue, "v1")
        XCTAssertEqual(e?["fieldsType"]?.stringValue, "FieldsV1")
        XCTAssertNotNil(e?["time"]?.stringValue)
        XCTAssertEqual(e?["fieldsV1"], ["f:data": ["f:a": [:]], "f:metadata": ["f:labels": ["f:app": [:]]]])
        XCTAssertEqual(entries(r.json).count, 1)

        r = try applyPatch("/api/v1/namespaces/default/configmaps/c?fieldManager=tool",
                           "apiVersion: apps/v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
        XCTAssertEqual(r.status, 400, r.body)
        XCTAssertEqual(r.json?["message"]?.stringValue,
                       "Incorrect version specified in apply patch. Specified patch version: apps/v1, expected: v1")
    }

    // fieldmanager (v1.20): a create or update without fieldManager is recorded under the User-Agent's
    // first segment; an update's entry holds what it changed, with `.` for the maps it brought.
    func testUpdatesRecordTheirManagers() throws {
        var out = try h.kubectl("create", "configmap", "c", "--from-literal=a=1")
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try h.kubectl("label", "configmap", "c", "team=blue")
        XCTAssertEqual(out.status, 0, out.stderr)
        var r = try h.request("PATCH", "/api/v1/namespaces/default/configmaps/c", body: #"{"data":{"b":"2"}}"#,
                              contentType: "application/merge-patch+json")
        XCTAssertEqual(r.status, 200, r.body)
        let cm = r.json
        XCTAssertEqual(entry(cm, "kubectl-create", "Update")?["fieldsV1"], ["f:data": [".": [:], "f:a": [:]]])
        XCTAssertEqual(entry(cm, "kubectl-label", "Update")?["fieldsV1"], ["f:metadata": ["f:labels": [".": [:], "f:team": [:]]]])
        XCTAssertEqual(entry(cm, "curl", "Update")?["fieldsV1"], ["f:data": ["f:b": [:]]])
        XCTAssertEqual(entry(cm, "curl", "Update")?["apiVersion"]?.stringValue, "v1")

        // The same change again is no change: no new resourceVersion, no new entry.
        r = try h.request("PATCH", "/api/v1/namespaces/default/configmaps/c", body: #"{"data":{"b":"2"}}"#,
                          contentType: "application/merge-patch+json")
        XCTAssertEqual(r.json?[path: "metadata", "resourceVersion"], cm?[path: "metadata", "resourceVersion"])

        // SetDefaults_NamespaceStatus's phase is the creator's; the finalizer PrepareForCreate adds is not.
        XCTAssertEqual(try h.kubectl("create", "namespace", "n").status, 0)
        XCTAssertEqual(entry(h.namespace("n"), "kubectl-create", "Update")?["fieldsV1"], ["f:status": ["f:phase": [:]]])

        out = try h.kubectl("get", "configmap", "c", "-o", "yaml", "--show-managed-fields")
        XCTAssertTrue(out.stdout.contains("manager: kubectl-create"), out.stdout)
        XCTAssertTrue(out.stdout.contains("operation: Update"), out.stdout)
        out = try h.kubectl("get", "configmap", "c", "-o", "yaml")
        XCTAssertFalse(out.stdout.contains("managedFields"), "kubectl 1.32 hides them: \(out.stdout)")

        // An object written without managedFields (seeded) and a write that changes nothing: none made.
        try h.sim.put(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "seeded", "namespace": "default"], "data": ["x": "1"]])
        let seeded = try XCTUnwrap(h.configMap("seeded", in: "default"))
        r = try h.request("PUT", "/api/v1/namespaces/default/configmaps/seeded", body: seeded.jsonString())
        XCTAssertEqual(r.status, 200, r.body)
        XCTAssertEqual(r.json?[path: "metadata", "resourceVersion"], seeded[path: "metadata", "resourceVersion"], r.body)
        XCTAssertNil(r.json?[path: "metadata", "managedFields"], r.body)

        // isResetManagedFields: `[{}]` asks for none; a write that changes nothing then leaves none.
        r = try h.request("PATCH", "/api/v1/namespaces/default/configmaps/c", body: #"{"metadata":{"managedFields":[{}]}}"#,
                          contentType: "application/merge-patch+json")
        XCTAssertEqual(r.status, 200, r.body)
        XCTAssertNil(r.json?[path: "metadata", "managedFields"], r.body)
    }

    // structured-merge-diff v4 merge.Updater.Apply: conflicts with other managers (409, fieldmanager
    // NewConflictError's message, printed by kubectl), --force-conflicts takes the field, a field the
    // applier drops goes unless someone else owns it, the same value applied by two is shared.
    func testKubectlServerSideApplyConflictsForceRemovalAndSharing() throws {
        func cm(_ data: [String: String]) -> String {
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
                + data.keys.sorted().map { "  \($0): \"\(data[$0]!)\"\n" }.joined()
        }
        var out = try h.kubectl("apply", "-f", try write("csa.yaml", cm(["key": "one"])))
        XCTAssertEqual(out.status, 0, out.stderr)

        out = try h.kubectl("apply", "--server-side", "-f", try write("ssa.yaml", cm(["key": "two", "extra": "x"])))
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains(#"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key"#),
                      out.stderr)
        XCTAssertNil(h.configMap("c", in: "default")?[path: "data", "extra"], "a conflict changes nothing")

        out = try h.kubectl("apply", "--server-side", "--force-conflicts", "-f", h.file("ssa.yaml"))
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, "configmap/c serverside-applied\n")
        var live = h.configMap("c", in: "default")
        XCTAssertEqual(live?[path: "data"], ["key": "two", "extra": "x"])
        XCTAssertEqual(entry(live, "kubectl", "Apply")?["fieldsV1"], ["f:data": ["f:extra": [:], "f:key": [:]]])
        // kubectl 1.32 then keeps the last-applied annotation under `kubectl-last-applied` (an apply of it
        // alone) and moves what `kubectl-client-side-apply` still owned to `kubectl` (a JSON patch of
        // managedFields), then applies again: the annotation's map leaves `kubectl`, the annotation stays.
        XCTAssertNil(entry(live, "kubectl-client-side-apply", "Update"), "\(entries(live))")
        XCTAssertEqual(entry(live, "kubectl-last-applied", "Apply")?["fieldsV1"],
                       ["f:metadata": ["f:annotations": ["f:kubectl.kubernetes.io/last-applied-configuration": [:]]]])
        XCTAssertNotNil(live?[path: "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"])

        // Another manager applying a different value conflicts with the applier `kubectl`.
        out = try h.kubectl("apply", "--server-side", "--field-manager=other", "-f", try write("other.yaml", cm(["key": "three"])))
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains(#"Apply failed with 1 conflict: conflict with "kubectl": .data.key"#), out.stderr)

        // The same value is shared; when `kubectl` stops applying it, `other` still owns it and it stays,
        // while `extra`, owned by `kubectl` alone, goes.
        out = try h.kubectl("apply", "--server-side", "--field-manager=other", "-f", try write("other.yaml", cm(["key": "two"])))
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try h.kubectl("apply", "--server-side", "-f", try write("ssa.yaml", cm(["other": "y"])))
        XCTAssertEqual(out.status, 0, out.stderr)
        live = h.configMap("c", in: "default")
        XCTAssertEqual(live?[path: "data"], ["key": "two", "other": "y"])
        XCTAssertEqual(entry(live, "other", "Apply")?["fieldsV1"], ["f:data": ["f:key": [:]]])
        XCTAssertEqual(entry(live, "kubectl", "Apply")?["fieldsV1"], ["f:data": ["f:other": [:]]])

        out = try h.kubectl("get", "configmap", "c", "-o", "yaml", "--show-managed-fields")
        XCTAssertTrue(out.stdout.contains("operation: Apply"), out.stdout)
        XCTAssertTrue(out.stdout.contains("manager: other"), out.stdout)
    }

    // capManagersManager (v1.20, DefaultMaxUpdateManagers 10): an eleventh updater folds the oldest two
    // into `ancient-changes`.
    func testMoreThanTenUpdatersFoldIntoAncientChanges() throws {
        XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps",
                                  body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"]]).0, 201)
        var last: JSONValue?
        for i in 0..<11 {
            let r = try h.request("PATCH", "/api/v1/namespaces/default/configmaps/c?fieldManager=m\(i)",
                                  body: #"{"data":{"k\#(i)":"v"}}"#, contentType: "application/merge-patch+json")
            XCTAssertEqual(r.status, 200, r.body)
            last = r.json
        }
        let managers = entries(last).compactMap { $0["manager"]?.stringValue }
        XCTAssertEqual(managers.count, 10, "\(managers)")
        XCTAssertEqual(Set(managers), Set(["ancient-changes"] + (2..<11).map { "m\($0)" }))
        XCTAssertEqual(entry(last, "ancient-changes", "Update")?["fieldsV1"], ["f:data": [".": [:], "f:k0": [:], "f:k1": [:]]])
    }

    // Associative lists merge item by item (containers by name, container ports by containerPort and
    // protocol); a conflict names the item's path as fieldpath.Path.String does.
    func testDeploymentContainersMergeByNameAndConflictByPath() throws {
        func deployment(_ containers: String) -> String {
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
            \(containers)
            """
        }
        var out = try h.kubectl("apply", "--server-side", "-f", try write("d.yaml", deployment("""
                  - name: web
                    image: nginx:1.19
                    ports:
                    - containerPort: 80
            """)))
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try h.kubectl("apply", "--server-side", "--field-manager=sidecar", "-f", try write("s.yaml", deployment("""
                  - name: proxy
                    image: envoy:1.0
            """)))
        XCTAssertEqual(out.status, 0, out.stderr)
        var d = h.deployment("web", in: "default")
        XCTAssertEqual(d?[path: "spec", "template", "spec", "containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue },
                       ["web", "proxy"])
        let kubectlFields = entry(d, "kubectl", "Apply")?[path: "fieldsV1", "f:spec", "f:template", "f:spec", "f:containers"]
        XCTAssertEqual(kubectlFields, [#"k:{"name":"web"}"#: [
            ".": [:], "f:image": [:], "f:name": [:],
            "f:ports": [#"k:{"containerPort":80,"protocol":"TCP"}"#: [".": [:], "f:containerPort": [:]]],
        ]])

        out = try h.kubectl("apply", "--server-side", "--field-manager=sidecar", "-f", try write("s.yaml", deployment("""
                  - name: web
                    image: nginx:1.20
            """)))
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains(#"conflict with "kubectl": .spec.template.spec.containers[name="web"].image"#), out.stderr)

        // kubectl stops applying its container: it goes; the sidecar's stays.
        out = try h.kubectl("apply", "--server-side", "-f", try write("d.yaml", deployment("""
                  - name: proxy
                    image: envoy:1.0
            """)))
        XCTAssertEqual(out.status, 0, out.stderr)
        d = h.deployment("web", in: "default")
        XCTAssertEqual(d?[path: "spec", "template", "spec", "containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue },
                       ["proxy"])
    }

    // v1.20 defaults every decoded object (SetDefaults_ServicePort: protocol TCP, targetPort = port),
    // so `kubectl replace` of a Service without them keeps them.
    func testReplaceOfServiceDefaultsTargetPortAndProtocol() throws {
        let svc = """
            apiVersion: v1
            kind: Service
            metadata:
              name: s
            spec:
              selector: {app: s}
              ports:
              - port: 8080
            """
        var out = try h.kubectl("create", "-f", try write("s.yaml", svc))
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try h.kubectl("replace", "-f", try write("s2.yaml", svc.replacingOccurrences(of: "8080", with: "9090")))
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try h.kubectl("get", "service", "s", "-o", "jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.ports[0].protocol}")
        XCTAssertEqual(out.stdout, "9090 9090 TCP", out.stderr)

        let live = try XCTUnwrap(h.sim.object(group: "", version: "v1", resource: "services", namespace: "default", name: "s"))
        XCTAssertNotNil(entry(live, "kubectl-replace", "Update"), "\(entries(live))")
        XCTAssertEqual(entry(live, "kubectl-replace", "Update")?[path: "fieldsV1", "f:spec", "f:ports"],
                       [#"k:{"port":9090,"protocol":"TCP"}"#: [".": [:], "f:port": [:], "f:protocol": [:], "f:targetPort": [:]]])
    }

    // An apply to the status subresource (the status REST over the same field manager) sets the status
    // only and records it; it does not create a missing object (404).
    func testApplyToStatusSubresource() throws {
        let status = #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.1"}]}}}"#
        var r = try applyPatch("/api/v1/namespaces/default/services/s/status?fieldManager=lb", status)
        XCTAssertEqual(r.status, 404, r.body)
        XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/services",
                                  body: ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "s"],
                                         "spec": ["type": "LoadBalancer", "ports": [["port": 80]]]]).0, 201)
        r = try applyPatch("/api/v1/namespaces/default/services/s/status?fieldManager=lb", status)
        XCTAssertEqual(r.status, 200, r.body)
        XCTAssertEqual(r.json?[path: "status", "loadBalancer", "ingress"], [["ip": "192.0.2.1"]])
        XCTAssertEqual(entry(r.json, "lb", "Apply")?["fieldsV1"], ["f:status": ["f:loadBalancer": ["f:ingress": [:]]]])
        XCTAssertNotNil(entry(r.json, "curl", "Update"), "the creator's entry stays")
    }

    // RBAC's escalation check (pkg/registry/rbac/role/policybased, v1.20) guards every write of a Role,
    // an apply too: pat may apply a Role only with what pat holds.
    func testApplyOfRoleIsCheckedForEscalation() throws {
        let h = try ClusterHarness { $0.tokens = ["p-token,pat,team-leads"] }
        XCTAssertEqual(try h.kubectl("create", "namespace", "team").status, 0)
        XCTAssertEqual(try h.kubectl("create", "role", "rbac-writer", "-n", "team", "--verb=create,get,list,patch",
                                     "--resource=roles.rbac.authorization.k8s.io,configmaps").status, 0)
        XCTAssertEqual(try h.kubectl("create", "rolebinding", "pat-writes", "-n", "team", "--role=rbac-writer", "--user=pat").status, 0)
        func role(_ resource: String) -> String {
            let r: JSONValue = ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "r"],
                                "rules": [["apiGroups": [""], "resources": [.string(resource)], "verbs": ["get"]]]]
            return r.jsonString()
        }
        let path = "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles/r?fieldManager=pat"
        var r = try h.request("PATCH", path, body: role("configmaps"), contentType: "application/apply-patch+yaml", as: .token("p-token"))
        XCTAssertEqual(r.status, 201, r.body)
        r = try h.request("PATCH", path, body: role("secrets"), contentType: "application/apply-patch+yaml", as: .token("p-token"))
        XCTAssertEqual(r.status, 403, r.body)
        XCTAssertEqual(r.json?["message"]?.stringValue, """
            roles.rbac.authorization.k8s.io "r" is forbidden: user "pat" (groups=["team-leads" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
            {APIGroups:[""], Resources:["secrets"], Verbs:["get"]}
            """)
        let stored = h.sim.object(group: "rbac.authorization.k8s.io", version: "v1", resource: "roles", namespace: "team", name: "r")
        XCTAssertEqual(stored?["rules"]?[0]?["resources"], ["configmaps"])
    }

    // The official Python client (python3-kubernetes 22.6): a create recorded under its User-Agent's
    // first segment (`OpenAPI-Generator`), an apply patch with field_manager conflicting with it, then
    // forced: the creator keeps only the data map itself (`f:data: {}`, a member without children).
    func testPythonClientApplyPatchConflictsAndForce() throws {
        let python = try Tools.python(importing: "kubernetes")
        let script = PythonClientConformanceTests.prelude + "\n" + #"""
        v1 = client.CoreV1Api(admin)
        v1.create_namespaced_config_map("default", {"apiVersion": "v1", "kind": "ConfigMap",
                                                    "metadata": {"name": "py"}, "data": {"a": "0"}})
        applier = client.ApiClient()
        applier.set_default_header("Content-Type", "application/apply-patch+yaml")
        ssa = client.CoreV1Api(applier)
        cm = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "py"}, "data": {"a": "1"}})
        body = expect(409, ssa.patch_namespaced_config_map, "py", "default", cm, field_manager="py", reason="Conflict",
                      message='Apply failed with 1 conflict: conflict with "OpenAPI-Generator" using v1: .data.a')
        assert causes(body) == [("FieldManagerConflict", ".data.a")], body
        r = ssa.patch_namespaced_config_map("py", "default", cm, field_manager="py", force=True)
        assert r.data == {"a": "1"}, r.data
        managers = sorted((m.manager, m.operation, m.fields_v1) for m in r.metadata.managed_fields)
        assert managers == [("OpenAPI-Generator", "Update", {"f:data": {}}),
                            ("py", "Apply", {"f:data": {"f:a": {}}})], managers
        """# + "\nprint('ok')\n"
        let out = try ProcessRunner.run(python, ["-c", script, h.kubeconfig, h.sim.url, h.caFile], timeout: 300)
        XCTAssertEqual(out.status, 0, "python failed:\n\(out.stderr)")
        XCTAssertTrue(out.stdout.hasSuffix("ok\n"), out.stdout)
    }
}
