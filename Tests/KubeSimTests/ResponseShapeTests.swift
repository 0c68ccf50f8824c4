import Foundation
import KubeSim
import XCTest
import ObjectModel
import TestSupport

/// What 1.20 answers to deletes, PUTs and patches at their edges, and the bootstrap ClusterRoles it
/// starts with. Each test cites where a real server's answer comes from (from knowledge of the v1.20
/// sources; the kubernetes repository is too large to fetch here).
final class ResponseShapeTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness { $0.namespaceDeletionSeconds = 0 } }
    override func tearDown() { h = nil }

    private func replicaSets() -> [JSONValue] { h.sim.objects(group: "apps", version: "v1", resource: "replicasets", namespace: "default") }

    // MARK: delete

    /// registry/store.go deletionFinalizersForGarbageCollection (v1.20): Orphan adds the `orphan` finalizer
    /// and the DELETE answers the object, deletionTimestamp set and its generation up (markAsDeleting); the
    /// garbage collector then removes the dependents' ownerReferences and the finalizer, and it goes.
    func testOrphanDeleteAnswersTheObjectThenOrphansItsReplicaSet() throws {
        XCTAssertEqual(try h.kubectl("create", "deployment", "web", "--image=nginx", "--replicas=1").status, 0)
        eventually("a ReplicaSet") { self.replicaSets().count == 1 }
        let generation = h.deployment("web", in: "default")?[path: "metadata", "generation"]?.intValue ?? 0
        let (status, answer) = try h.json("DELETE", "/apis/apps/v1/namespaces/default/deployments/web",
                                          body: ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Orphan"])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(answer["kind"], "Deployment")
        XCTAssertEqual(answer[path: "metadata", "finalizers"], ["orphan"])
        XCTAssertNotNil(answer[path: "metadata", "deletionTimestamp"]?.stringValue)
        XCTAssertEqual(answer[path: "metadata", "deletionGracePeriodSeconds"], 0)
        XCTAssertEqual(answer[path: "metadata", "generation"]?.intValue, generation + 1)
        eventually("deployment gone, its ReplicaSet orphaned") {
            self.h.deployment("web", in: "default") == nil && self.replicaSets().count == 1
                && self.replicaSets().first?[path: "metadata", "ownerReferences"] == nil
        }
    }

    private static let crd = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: widgets, singular: widget, kind: Widget}
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    """

    /// apiextensions-apiserver (v1.20): REST.Delete marks the CRD (deletionTimestamp, the
    /// `customresourcecleanup.apiextensions.k8s.io` finalizer, Terminating `InstanceDeletionPending`) and
    /// answers it; creates of its resources are 405 meanwhile; the finalizer controller deletes the
    /// instances and, once none is left, removes the finalizer, and the CRD goes.
    func testCRDDeleteTerminatesUntilItsInstancesAreGone() throws {
        XCTAssertEqual(try h.kubectl(["apply", "-f", "-"], stdin: Self.crd).status, 0)
        let base = "/apis/example.com/v1/namespaces/default/widgets"
        XCTAssertEqual(try h.json("POST", base, body: ["apiVersion": "example.com/v1", "kind": "Widget",
                                                       "metadata": ["name": "held", "finalizers": ["example.com/hold"]]]).0, 201)
        let (status, answer) = try h.json("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(answer["kind"], "CustomResourceDefinition")
        XCTAssertNotNil(answer[path: "metadata", "deletionTimestamp"]?.stringValue)
        XCTAssertEqual(answer[path: "metadata", "finalizers"], ["customresourcecleanup.apiextensions.k8s.io"])
        let terminating = answer[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Terminating" }
        XCTAssertEqual(terminating?["status"], "True")
        XCTAssertEqual(terminating?["reason"], "InstanceDeletionPending")
        XCTAssertEqual(terminating?["message"], "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon")

        let refused = try h.request("POST", base, body: #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"new"}}"#)
        XCTAssertEqual(refused.status, 405)
        XCTAssertEqual(refused.json?["reason"], "MethodNotAllowed")
        XCTAssertEqual(refused.json?["message"], "create not allowed while custom resource definition is terminating")

        // The instance's own finalizer holds it, and so the CRD.
        eventually("the instance is being deleted") {
            (try? self.h.json("GET", base + "/held").1[path: "metadata", "deletionTimestamp"]) != nil
        }
        let crd = try h.json("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
        XCTAssertEqual(crd.0, 200)
        XCTAssertEqual(crd.1[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Terminating" }?["status"], "True")
        XCTAssertEqual(try h.json("PATCH", base + "/held", body: ["metadata": ["finalizers": nil]],
                                  contentType: "application/merge-patch+json").0, 200)
        eventually("the CRD is gone") {
            (try? self.h.json("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com").0) == 404
        }
        let out = try h.kubectl("get", "crd")
        XCTAssertFalse(out.stdout.contains("widgets.example.com"), out.stdout)
    }

    /// registry/store.go Delete with dryRun (v1.20): the same answer as the delete, nothing changed.
    func testDryRunDeleteAnswersLikeADeleteAndKeepsTheObject() throws {
        let cm = "/api/v1/namespaces/default/configmaps"
        XCTAssertEqual(try h.json("POST", cm, body: ["metadata": ["name": "plain"]]).0, 201)
        XCTAssertEqual(try h.json("POST", cm, body: ["metadata": ["name": "held", "finalizers": ["example.com/hold"]]]).0, 201)
        var (status, answer) = try h.json("DELETE", cm + "/plain?dryRun=All")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(answer["kind"], "Status")
        XCTAssertEqual(answer["status"], "Success")
        XCTAssertEqual(answer[path: "details", "name"], "plain")
        XCTAssertEqual(answer[path: "details", "kind"], "configmaps")
        XCTAssertNotNil(h.configMap("plain", in: "default"))
        (status, answer) = try h.json("DELETE", cm + "/held?dryRun=All")
        XCTAssertEqual(answer["kind"], "ConfigMap")
        XCTAssertNotNil(answer[path: "metadata", "deletionTimestamp"]?.stringValue)
        XCTAssertNil(h.configMap("held", in: "default")?[path: "metadata", "deletionTimestamp"])

        let out = try h.kubectl("delete", "configmap", "plain", "--dry-run=server")
        XCTAssertEqual(out.stdout, "configmap \"plain\" deleted (server dry run)\n", out.stderr)
        XCTAssertNotNil(h.configMap("plain", in: "default"))
    }

    /// rest.BeforeDelete (staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go, v1.20) and the CRD's
    /// own REST.Delete word failed preconditions differently.
    func testDeletePreconditionMessages() throws {
        XCTAssertEqual(try h.kubectl("create", "deployment", "web", "--image=nginx").status, 0)
        var (status, answer) = try h.json("DELETE", "/apis/apps/v1/namespaces/default/deployments/web",
                                          body: ["preconditions": ["uid": "other"]])
        XCTAssertEqual(status, 409)
        let uid = h.deployment("web", in: "default")?[path: "metadata", "uid"]?.stringValue ?? ""
        XCTAssertEqual(answer["message"]?.stringValue,
                       "Operation cannot be fulfilled on Deployment.apps \"web\": the UID in the precondition (other) does not match the UID in record (\(uid)). The object might have been deleted and then recreated")
        XCTAssertEqual(answer[path: "details", "kind"], "Deployment")
        XCTAssertEqual(answer[path: "details", "group"], "apps")
        XCTAssertEqual(try h.kubectl(["apply", "-f", "-"], stdin: Self.crd).status, 0)
        (status, answer) = try h.json("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
                                      body: ["preconditions": ["resourceVersion": "1"]])
        XCTAssertEqual(status, 409)
        XCTAssertTrue(answer["message"]?.stringValue?.hasPrefix(
            "Operation cannot be fulfilled on customresourcedefinitions.apiextensions.k8s.io \"widgets.example.com\": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ") == true,
            answer["message"]?.stringValue ?? "")
    }

    // MARK: PUT

    /// The RBAC strategies' AllowCreateOnUpdate is true (pkg/registry/rbac/*/strategy.go, v1.20): a PUT to a
    /// missing name creates it (201); a ConfigMap's is false (404).
    func testPutCreatesRBACObjects() throws {
        let role = #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"made-by-put"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"#
        var r = try h.request("PUT", "/apis/rbac.authorization.k8s.io/v1/clusterroles/made-by-put", body: role)
        XCTAssertEqual(r.status, 201, r.body)
        XCTAssertEqual(r.json?[path: "metadata", "name"], "made-by-put")
        XCTAssertNotNil(r.json?[path: "metadata", "uid"]?.stringValue)
        r = try h.request("PUT", "/apis/rbac.authorization.k8s.io/v1/clusterroles/made-by-put", body: role)
        XCTAssertEqual(r.status, 200)
        let binding = #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"made-by-put"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"made-by-put"},"subjects":[{"kind":"User","name":"alice","apiGroup":"rbac.authorization.k8s.io"}]}"#
        r = try h.request("PUT", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/made-by-put", body: binding)
        XCTAssertEqual(r.status, 201, r.body)
        let out = try h.kubectl("auth", "can-i", "get", "pods", "--as=alice")
        XCTAssertEqual(out.stdout, "yes\n", out.stderr)
        r = try h.request("PUT", "/api/v1/namespaces/default/configmaps/nope", body: #"{"metadata":{"name":"nope"}}"#)
        XCTAssertEqual(r.status, 404)
    }

    // MARK: patch

    /// evanphx/json-patch (v4, as 1.20 vendors it): move and copy rename keys; a patch that does not
    /// apply is 422 `the server rejected our request due to an error in our request` with empty details
    /// (handlers/patch.go applyJSPatch: NewGenericServerResponse), whatever the library's reason.
    func testJSONPatchMoveCopyAndRejections() throws {
        XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "p"], "data": ["a": "1"]]).0, 201)
        var out = try h.kubectl("patch", "configmap", "p", "--type=json",
                                "-p", #"[{"op":"move","from":"/data/a","path":"/data/b"},{"op":"copy","from":"/data/b","path":"/data/c"}]"#)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(h.configMap("p", in: "default")?["data"], ["b": "1", "c": "1"])
        for bad in [#"[{"op":"test","path":"/data/b","value":"2"}]"#, #"[{"op":"replace","path":"/data/zzz","value":"2"}]"#,
                    #"[{"op":"move","from":"/data/zzz","path":"/data/y"}]"#, #"[{"op":"frobnicate","path":"/data/b"}]"#] {
            let r = try h.request("PATCH", "/api/v1/namespaces/default/configmaps/p", body: bad, contentType: "application/json-patch+json")
            XCTAssertEqual(r.status, 422, bad)
            XCTAssertEqual(r.json?["reason"], "Invalid")
            XCTAssertEqual(r.json?["message"], "the server rejected our request due to an error in our request")
            XCTAssertEqual(r.json?["details"], [:])
        }
        out = try h.kubectl("patch", "configmap", "p", "--type=json", "-p", #"[{"op":"test","path":"/data/b","value":"2"}]"#)
        XCTAssertEqual(out.status, 1)
        // kubectl's rendering of an Invalid Status whose details name nothing.
        XCTAssertEqual(out.errors, "The request is invalid: the server rejected our request due to an error in our request", out.stderr)
        let r = try h.request("PATCH", "/api/v1/namespaces/default/configmaps/p", body: #"{"op":"add"}"#, contentType: "application/json-patch+json")
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json?["message"], "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        let many = "[" + Array(repeating: #"{"op":"test","path":"/data/b","value":"1"}"#, count: 10001).joined(separator: ",") + "]"
        let tooMany = try h.request("PATCH", "/api/v1/namespaces/default/configmaps/p", body: many, contentType: "application/json-patch+json")
        XCTAssertEqual(tooMany.status, 413)
        XCTAssertEqual(tooMany.json?["message"], "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001")
    }

    /// apimachinery strategicpatch (v1.20): `$setElementOrder/<list>` orders the merged list; a `$patch` that
    /// is not replace/delete is ErrBadPatchType, which patch.go passes on as a 500 without a reason.
    func testStrategicMergeSetElementOrderAndUnknownPatchType() throws {
        // A Deployment's pod template, not a pod: 1.20's ValidatePodUpdate refuses a pod's reordered containers.
        let deployment = #"{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"a","image":"nginx"},{"name":"b","image":"nginx"},{"name":"c","image":"nginx"}]}}}}"#
        XCTAssertEqual(try h.request("POST", "/apis/apps/v1/namespaces/default/deployments", body: deployment).status, 201)
        let reorder = #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"b"}],"containers":[{"name":"a","image":"nginx:2"}]}}}}"#
        var r = try h.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/d", body: reorder,
                              contentType: "application/strategic-merge-patch+json")
        XCTAssertEqual(r.status, 200, r.body)
        let containers = r.json?[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
        XCTAssertEqual(containers.compactMap { $0["name"]?.stringValue }, ["c", "a", "b"])
        XCTAssertEqual(containers.first { $0["name"] == "a" }?["image"], "nginx:2")

        r = try h.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/d", body: #"{"metadata":{"$patch":"bogus","labels":{"x":"y"}}}"#,
                          contentType: "application/strategic-merge-patch+json")
        XCTAssertEqual(r.status, 500, r.body)
        XCTAssertNil(r.json?["reason"])
        XCTAssertEqual(r.json?["message"], "unknown patch type: bogus in map: map[$patch:bogus labels:map[x:y]]")
        r = try h.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/d", body: #"[{"op":"add"}]"#,
                          contentType: "application/strategic-merge-patch+json")
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json?["message"], "json: cannot unmarshal array into Go value of type map[string]interface {}")
    }

    // MARK: bootstrap ClusterRoles

    /// plugin/pkg/auth/authorizer/rbac/bootstrappolicy (v1.20): the system and controller roles a fresh
    /// cluster lists, bound as there.
    func testBootstrapClusterRolesAreListed() throws {
        let out = try h.kubectl("get", "clusterroles", "-o", "name")
        XCTAssertEqual(out.status, 0, out.stderr)
        let names = Set(out.stdout.split(separator: "\n").map { String($0.dropFirst("clusterrole.rbac.authorization.k8s.io/".count)) })
        for n in ["cluster-admin", "admin", "edit", "view", "system:node", "system:node-proxier", "system:kube-scheduler",
                  "system:kube-controller-manager", "system:auth-delegator", "system:heapster", "system:kube-dns",
                  "system:controller:deployment-controller", "system:controller:generic-garbage-collector",
                  "system:certificates.k8s.io:certificatesigningrequests:nodeclient", "system:monitoring"] {
            XCTAssertTrue(names.contains(n), "\(n) missing from \(names.sorted())")
        }
        XCTAssertGreaterThanOrEqual(names.count, 60)
        let bindings = try h.kubectl("get", "clusterrolebinding", "system:controller:deployment-controller", "-o", "json")
        let b = try JSONValue(parsing: bindings.stdout)
        XCTAssertEqual(b[path: "subjects"]?[0]?["kind"], "ServiceAccount")
        XCTAssertEqual(b[path: "subjects"]?[0]?["namespace"], "kube-system")
        // Bound as 1.20 binds them: kube-proxy may list endpoints, not secrets.
        var can = try h.kubectl("auth", "can-i", "list", "endpoints", "--as=system:kube-proxy")
        XCTAssertEqual(can.stdout, "yes\n", can.stderr)
        can = try h.kubectl("auth", "can-i", "list", "secrets", "--as=system:kube-proxy")
        XCTAssertEqual(can.stdout, "no\n")
        can = try h.kubectl("auth", "can-i", "update", "deployments.apps",
                            "--as=system:serviceaccount:kube-system:deployment-controller")
        XCTAssertEqual(can.stdout, "yes\n", can.stderr)
    }
}
