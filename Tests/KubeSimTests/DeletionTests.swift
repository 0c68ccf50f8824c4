import KubeSim
import XCTest
import ObjectModel
import TestSupport

/// Deletion as a real server does it: finalizers, preconditions, propagation and garbage
/// collection, and namespaces that take their time.
final class DeletionTests: XCTestCase {
    func testFinalizersHoldTheObjectUntilRemoved() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps",
                                  body: ["metadata": ["name": "held", "finalizers": ["example.com/hold"]]]).0, 201)
        var (s, v) = try h.json("DELETE", "/api/v1/namespaces/default/configmaps/held")
        XCTAssertEqual(s, 200)
        XCTAssertNotNil(v[path: "metadata", "deletionTimestamp"]?.stringValue)
        let still = try XCTUnwrap(h.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: "held"))
        XCTAssertNotNil(still[path: "metadata", "deletionTimestamp"])
        // No new finalizers while deleting.
        (s, v) = try h.json("PATCH", "/api/v1/namespaces/default/configmaps/held",
                            body: ["metadata": ["finalizers": ["example.com/hold", "example.com/more"]]], contentType: "application/merge-patch+json")
        XCTAssertEqual(s, 422)
        XCTAssertEqual(v["message"]?.stringValue,
                       "ConfigMap \"held\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/more\"}")
        (s, _) = try h.json("PATCH", "/api/v1/namespaces/default/configmaps/held", body: ["metadata": ["finalizers": nil]],
                            contentType: "application/merge-patch+json")
        XCTAssertEqual(s, 200)
        XCTAssertNil(h.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: "held"))
    }

    func testPreconditionsAre409() throws {
        let h = try ClusterHarness()
        let (_, cm) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "p"]])
        let uid = cm[path: "metadata", "uid"]?.stringValue ?? ""
        var (s, v) = try h.json("DELETE", "/api/v1/namespaces/default/configmaps/p",
                                body: ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "not-it"]])
        XCTAssertEqual(s, 409)
        XCTAssertEqual(v["message"]?.stringValue,
                       // rest.BeforeDelete (staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go, v1.20): the Conflict names the kind.
                       "Operation cannot be fulfilled on ConfigMap \"p\": the UID in the precondition (not-it) does not match the UID in record (\(uid)). The object might have been deleted and then recreated")
        (s, v) = try h.json("DELETE", "/api/v1/namespaces/default/configmaps/p", body: ["preconditions": ["resourceVersion": "1"]])
        XCTAssertEqual(s, 409)
        XCTAssertTrue(v["message"]?.stringValue?.hasPrefix("Operation cannot be fulfilled on ConfigMap \"p\": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (") == true,
                      v["message"]?.stringValue ?? "")
        XCTAssertTrue(v["message"]?.stringValue?.hasSuffix("). The object might have been modified") == true)
        // Namespaces check them in their own REST.Delete (pkg/registry/core/namespace/storage/storage.go).
        try h.createNamespace("gone")
        (s, v) = try h.json("DELETE", "/api/v1/namespaces/gone", body: ["preconditions": ["uid": "not-it"]])
        XCTAssertEqual(s, 409)
        XCTAssertEqual(v["message"]?.stringValue,
                       "Operation cannot be fulfilled on namespaces \"gone\": Precondition failed: UID in precondition: not-it, UID in object meta: \(h.namespace("gone")?[path: "metadata", "uid"]?.stringValue ?? "")")
        (s, _) = try h.json("DELETE", "/api/v1/namespaces/default/configmaps/p", body: ["preconditions": ["uid": .string(uid)]])
        XCTAssertEqual(s, 200)
    }

    func testOwnerReferencesAreCollectedUnlessOrphaned() throws {
        let h = try ClusterHarness()
        let (_, owner) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "owner"]])
        let ref: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner[path: "metadata", "uid"] ?? ""]
        for n in ["dep1", "dep2"] {
            XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps",
                                      body: ["metadata": ["name": .string(n), "ownerReferences": [ref]]]).0, 201)
        }
        XCTAssertEqual(try h.json("DELETE", "/api/v1/namespaces/default/configmaps/owner").0, 200)
        eventually("dependents collected") {
            h.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: "dep1") == nil
                && h.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: "dep2") == nil
        }

        let (_, owner2) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "owner2"]])
        let ref2: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "name": "owner2", "uid": owner2[path: "metadata", "uid"] ?? ""]
        XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "kept", "ownerReferences": [ref2]]]).0, 201)
        // The answer is the owner with the `orphan` finalizer; the garbage collector then orphans and removes it.
        let (status, answer) = try h.json("DELETE", "/api/v1/namespaces/default/configmaps/owner2?propagationPolicy=Orphan")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(answer[path: "metadata", "finalizers"], ["orphan"])
        eventually("owner2 gone, kept orphaned") {
            h.configMap("owner2", in: "default") == nil
                && h.configMap("kept", in: "default") != nil
                && h.configMap("kept", in: "default")?[path: "metadata", "ownerReferences"] == nil
        }
    }

    func testDeploymentPodsFollowThePropagationPolicy() throws {
        let h = try ClusterHarness()
        func pods(_ app: String) -> [JSONValue] {
            h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "default").filter { $0[path: "metadata", "labels", "app"]?.stringValue == app }
        }
        for name in ["orphaned", "background", "foreground"] {
            XCTAssertEqual(try h.kubectl("create", "deployment", name, "--image=nginx", "--replicas=2").status, 0)
            eventually("\(name) pods") { pods(name).count == 2 }
        }
        var out = try h.kubectl("delete", "deployment", "orphaned", "--cascade=orphan")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(pods("orphaned").count, 2)
        out = try h.kubectl("delete", "deployment", "background", "--cascade=background")
        XCTAssertEqual(out.status, 0, out.stderr)
        eventually("background pods gone") { pods("background").isEmpty }
        out = try h.kubectl("delete", "deployment", "foreground", "--cascade=foreground")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(pods("foreground").isEmpty)
        XCTAssertNil(h.sim.object(group: "apps", version: "v1", resource: "deployments", namespace: "default", name: "foreground"))
        // The orphans stay, unmanaged.
        XCTAssertEqual(pods("orphaned").count, 2)
    }

    func testNamespaceDeletionTakesTheConfiguredTimeAndRefusesCreatesMeanwhile() throws {
        let h = try ClusterHarness { $0.namespaceDeletionSeconds = 1.5 }
        XCTAssertEqual(try h.kubectl("create", "namespace", "going").status, 0)
        XCTAssertEqual(try h.json("DELETE", "/api/v1/namespaces/going").0, 200)
        let (s, v) = try h.json("POST", "/api/v1/namespaces/going/configmaps", body: ["metadata": ["name": "late"]])
        XCTAssertEqual(s, 403)
        XCTAssertEqual(v["message"]?.stringValue,
                       "configmaps \"late\" is forbidden: unable to create new content in namespace going because it is being terminated")
        XCTAssertEqual(h.sim.object(group: "", version: "v1", resource: "namespaces", namespace: nil, name: "going")?[path: "status", "phase"], "Terminating")
        eventually("namespace gone") { h.sim.object(group: "", version: "v1", resource: "namespaces", namespace: nil, name: "going") == nil }
        XCTAssertEqual(try h.kubectl("create", "namespace", "going").status, 0)
    }
}
