import KubeSim
import XCTest
import ObjectModel
import TestSupport

/// RBAC as kube-apiserver 1.20 evaluates it, driven through kubectl and plain HTTPS.
final class RBACTests: XCTestCase {
    func testTokenUserStartsWithNoRightsAndGetsTheRealForbiddenMessage() throws {
        let h = try ClusterHarness { $0.tokens = ["alice-token,alice"] }
        let r = try h.request("GET", "/api/v1/namespaces", as: .token("alice-token"))
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(r.json?["reason"]?.stringValue, "Forbidden")
        XCTAssertEqual(r.json?["message"]?.stringValue,
                       "namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope")
        XCTAssertEqual(r.json?[path: "details", "kind"]?.stringValue, "namespaces")

        let named = try h.request("GET", "/apis/apps/v1/namespaces/default/deployments/web", as: .token("alice-token"))
        XCTAssertEqual(named.json?["message"]?.stringValue,
                       "deployments.apps \"web\" is forbidden: User \"alice\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"default\"")
        XCTAssertEqual(named.json?[path: "details", "group"]?.stringValue, "apps")
        let sub = try h.request("PUT", "/apis/apps/v1/namespaces/default/deployments/web/scale", body: "{}", as: .token("alice-token"))
        XCTAssertEqual(sub.json?["message"]?.stringValue,
                       "deployments.apps \"web\" is forbidden: User \"alice\" cannot update resource \"deployments/scale\" in API group \"apps\" in the namespace \"default\"")

        let out = try h.kubectl(token: "alice-token", "get", "configmaps", "-n", "default")
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.errors, "Error from server (Forbidden): configmaps is forbidden: User \"alice\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"")
        // Discovery is open to every authenticated user (system:discovery).
        XCTAssertEqual(try h.request("GET", "/apis", as: .token("alice-token")).status, 200)
        // An unknown token is 401, not anonymous.
        XCTAssertEqual(try h.request("GET", "/version", as: .token("nope")).status, 401)
    }

    func testAdminCertificateIsClusterAdminAndBootstrapRolesExist() throws {
        let h = try ClusterHarness()
        for role in ["cluster-admin", "admin", "edit", "view"] {
            let out = try h.kubectl("get", "clusterrole", role, "-o", "name")
            XCTAssertEqual(out.stdout, "clusterrole.rbac.authorization.k8s.io/\(role)\n", out.stderr)
        }
        let crb = try h.kubectl("get", "clusterrolebinding", "cluster-admin", "-o", "json")
        let v = try JSONValue(parsing: crb.stdout)
        XCTAssertEqual(v[path: "subjects"]?[0]?["name"]?.stringValue, "system:masters")
        XCTAssertEqual(v[path: "roleRef", "name"]?.stringValue, "cluster-admin")
    }

    /// kubectl sends these four kinds as protobuf.
    func testKubectlCreatesRolesAndBindingsThatGrantRights() throws {
        let h = try ClusterHarness { $0.tokens = ["bob-token,bob", "carol-token,carol,readers"] }
        XCTAssertEqual(try h.kubectl("create", "namespace", "team").status, 0)
        var out = try h.kubectl("create", "role", "cm-reader", "-n", "team", "--verb=get,list", "--resource=configmaps")
        XCTAssertEqual(out.stdout, "role.rbac.authorization.k8s.io/cm-reader created\n", out.stderr)
        out = try h.kubectl("create", "rolebinding", "bob-reads", "-n", "team", "--role=cm-reader", "--user=bob")
        XCTAssertEqual(out.stdout, "rolebinding.rbac.authorization.k8s.io/bob-reads created\n", out.stderr)
        let role = try XCTUnwrap(h.sim.object(group: "rbac.authorization.k8s.io", version: "v1", resource: "roles", namespace: "team", name: "cm-reader"))
        XCTAssertEqual(role["rules"], [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]]])
        let rb = try XCTUnwrap(h.sim.object(group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings", namespace: "team", name: "bob-reads"))
        XCTAssertEqual(rb["roleRef"], ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "cm-reader"])
        XCTAssertEqual(rb["subjects"], [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "bob"]])

        out = try h.kubectl(token: "bob-token", "get", "configmaps", "-n", "team", "-o", "name")
        XCTAssertEqual(out.stdout, "configmap/kube-root-ca.crt\n", out.stderr)
        out = try h.kubectl(token: "bob-token", "get", "configmaps", "-n", "default")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): configmaps is forbidden: User \"bob\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"")
        out = try h.kubectl(token: "bob-token", "create", "configmap", "x", "-n", "team")
        XCTAssertEqual(out.errors, "error: failed to create configmap: configmaps is forbidden: User \"bob\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"team\"")

        out = try h.kubectl("create", "clusterrole", "ns-lister", "--verb=list", "--resource=namespaces")
        XCTAssertEqual(out.stdout, "clusterrole.rbac.authorization.k8s.io/ns-lister created\n", out.stderr)
        out = try h.kubectl("create", "clusterrolebinding", "readers-list-ns", "--clusterrole=ns-lister", "--group=readers")
        XCTAssertEqual(out.stdout, "clusterrolebinding.rbac.authorization.k8s.io/readers-list-ns created\n", out.stderr)
        out = try h.kubectl(token: "carol-token", "get", "namespaces", "team", "-o", "name")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): namespaces \"team\" is forbidden: User \"carol\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"team\"")
        out = try h.kubectl(token: "carol-token", "get", "namespaces", "-o", "name")
        XCTAssertTrue(out.stdout.contains("namespace/team\n"), out.stderr)
    }

    /// admin, edit and view aggregate the roles labelled for them, as the aggregation controller does.
    func testClusterRoleAggregation() throws {
        let h = try ClusterHarness { $0.tokens = ["v-token,vera,viewers"] }
        let view = try XCTUnwrap(h.sim.object(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", namespace: nil, name: "view"))
        let rules = view["rules"]?.arrayValue ?? []
        XCTAssertTrue(rules.contains { $0["resources"]?.arrayValue?.contains("pods") == true })
        XCTAssertEqual(view[path: "aggregationRule", "clusterRoleSelectors"]?[0]?[path: "matchLabels", "rbac.authorization.k8s.io/aggregate-to-view"], "true")
        XCTAssertEqual(try h.kubectl("create", "clusterrolebinding", "viewers", "--clusterrole=view", "--group=viewers").status, 0)
        let crd: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "widgets.example.com"],
            "spec": ["group": "example.com", "scope": "Namespaced", "names": ["plural": "widgets", "kind": "Widget"],
                     "versions": [["name": "v1", "served": true, "storage": true,
                                   "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]],
        ]
        XCTAssertEqual(try h.json("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: crd).0, 201)
        var out = try h.kubectl(token: "v-token", "auth", "can-i", "list", "widgets.example.com")
        XCTAssertEqual(out.stdout, "no\n", out.stderr)
        let role: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": ["name": "widget-viewer", "labels": ["rbac.authorization.k8s.io/aggregate-to-view": "true"]],
            "rules": [["apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get", "list", "watch"]]],
        ]
        XCTAssertEqual(try h.json("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", body: role).0, 201)
        out = try h.kubectl(token: "v-token", "auth", "can-i", "list", "widgets.example.com")
        XCTAssertEqual(out.stdout, "yes\n", out.stderr)
        // Aggregated upwards too: edit and admin include what view includes.
        for name in ["edit", "admin"] {
            let r = try XCTUnwrap(h.sim.object(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", namespace: nil, name: name))
            XCTAssertTrue(r["rules"]?.arrayValue?.contains { $0["resources"] == ["widgets"] } == true, name)
        }
        XCTAssertEqual(try h.json("DELETE", "/apis/rbac.authorization.k8s.io/v1/clusterroles/widget-viewer").0, 200)
        out = try h.kubectl(token: "v-token", "auth", "can-i", "list", "widgets.example.com")
        XCTAssertEqual(out.stdout, "no\n", out.stderr)
    }

    /// A user may grant only what it holds: roles with more rules, or bindings to bigger roles, are refused.
    func testEscalationPrevention() throws {
        let h = try ClusterHarness { $0.tokens = ["p-token,pat,team-leads"] }
        XCTAssertEqual(try h.kubectl("create", "namespace", "team").status, 0)
        XCTAssertEqual(try h.kubectl("create", "role", "rbac-writer", "-n", "team", "--verb=create,get,list,patch",
                                     "--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io,configmaps").status, 0)
        XCTAssertEqual(try h.kubectl("create", "rolebinding", "pat-writes", "-n", "team", "--role=rbac-writer", "--user=pat").status, 0)

        var out = try h.kubectl(token: "p-token", "create", "role", "cm-getter", "-n", "team", "--verb=get", "--resource=configmaps")
        XCTAssertEqual(out.status, 0, out.stderr)
        let role: JSONValue = ["metadata": ["name": "secret-getter"],
                               "rules": [["apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]],
                                         ["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "delete"]]]]
        let r = try h.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles", body: role.jsonString(), as: .token("p-token"))
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(r.json?["message"]?.stringValue, """
            roles.rbac.authorization.k8s.io "secret-getter" is forbidden: user "pat" (groups=["team-leads" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:
            {APIGroups:[""], Resources:["configmaps"], Verbs:["delete"]}
            {APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}
            """)
        XCTAssertNil(h.sim.object(group: "rbac.authorization.k8s.io", version: "v1", resource: "roles", namespace: "team", name: "secret-getter"))

        out = try h.kubectl(token: "p-token", "create", "rolebinding", "too-much", "-n", "team", "--clusterrole=edit", "--user=pat")
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.errors.contains("rolebindings.rbac.authorization.k8s.io \"too-much\" is forbidden: user \"pat\" (groups=[\"team-leads\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:"), out.errors)
        out = try h.kubectl(token: "p-token", "create", "rolebinding", "ok", "-n", "team", "--role=cm-getter", "--user=someone")
        XCTAssertEqual(out.status, 0, out.stderr)
        // Patching a role to hold more is refused the same way; `bind` on a role lifts the binding check.
        let p = try h.request("PATCH", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles/cm-getter",
                              body: #"{"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"#,
                              contentType: "application/merge-patch+json", as: .token("p-token"))
        XCTAssertEqual(p.status, 403, p.body)
        XCTAssertEqual(try h.kubectl("create", "role", "binder", "-n", "team", "--verb=bind", "--resource=clusterroles.rbac.authorization.k8s.io", "--resource-name=edit").status, 0)
        XCTAssertEqual(try h.kubectl("create", "rolebinding", "pat-binds", "-n", "team", "--role=binder", "--user=pat").status, 0)
        out = try h.kubectl(token: "p-token", "create", "rolebinding", "too-much", "-n", "team", "--clusterrole=edit", "--user=pat")
        XCTAssertEqual(out.status, 0, out.stderr)
    }

    func testBindingToAMissingRoleIsNamedInTheReason() throws {
        let h = try ClusterHarness { $0.tokens = ["d-token,dave"] }
        XCTAssertEqual(try h.kubectl("create", "rolebinding", "dangling", "-n", "default", "--role=ghost", "--user=dave").status, 0)
        let r = try h.request("GET", "/api/v1/namespaces/default/pods", as: .token("d-token"))
        XCTAssertEqual(r.json?["message"]?.stringValue,
                       "pods is forbidden: User \"dave\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\": RBAC: role.rbac.authorization.k8s.io \"ghost\" not found")
    }

    func testAuthCanI() throws {
        let h = try ClusterHarness { $0.tokens = ["e-token,erin,viewers"] }
        var out = try h.kubectl(token: "e-token", "auth", "can-i", "list", "pods", "-n", "default")
        XCTAssertEqual(out.stdout, "no\n", out.stderr)
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(try h.kubectl("create", "clusterrolebinding", "viewers", "--clusterrole=view", "--group=viewers").status, 0)
        out = try h.kubectl(token: "e-token", "auth", "can-i", "list", "pods", "-n", "default")
        XCTAssertEqual(out.stdout, "yes\n", out.stderr)
        XCTAssertEqual(out.status, 0)
        out = try h.kubectl(token: "e-token", "auth", "can-i", "get", "secrets", "-n", "default")
        XCTAssertEqual(out.stdout, "no\n", out.stderr)
        out = try h.kubectl("auth", "can-i", "delete", "nodes")
        XCTAssertEqual(out.stdout, "yes\n", out.stderr)
        out = try h.kubectl(token: "e-token", "auth", "can-i", "--list", "-n", "default")
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        XCTAssertTrue(lines.contains("selfsubjectaccessreviews.authorization.k8s.io [] [] [create]"), out.stdout)
        XCTAssertTrue(lines.contains("pods [] [] [get list watch]"), out.stdout)
        XCTAssertTrue(lines.contains("[/version] [] [get]"), out.stdout)
        XCTAssertFalse(lines.contains { $0.hasPrefix("secrets ") }, out.stdout)

        let review: JSONValue = ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                                 "spec": ["resourceAttributes": ["verb": "watch", "resource": "deployments", "group": "apps", "namespace": "x"]]]
        let r = try h.request("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body: review.jsonString(), as: .token("e-token"))
        XCTAssertEqual(r.status, 201, r.body)
        XCTAssertEqual(r.json?[path: "status", "allowed"], true)
        XCTAssertEqual(r.json?[path: "status", "reason"]?.stringValue,
                       "RBAC: allowed by ClusterRoleBinding \"viewers\" of ClusterRole \"view\" to Group \"viewers\"")
        XCTAssertEqual(try h.request("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").status, 405)
    }

    func testAnonymousMaySeeVersionAndHealthOnly() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.request("GET", "/version", as: .none).status, 200)
        XCTAssertEqual(try h.request("GET", "/healthz", as: .none).status, 200)
        let api = try h.request("GET", "/api", as: .none)
        XCTAssertEqual(api.status, 403)
        XCTAssertEqual(api.json?["message"]?.stringValue, "forbidden: User \"system:anonymous\" cannot get path \"/api\"")
        let ns = try h.request("GET", "/api/v1/namespaces/default", as: .none)
        XCTAssertEqual(ns.json?["message"]?.stringValue,
                       "namespaces \"default\" is forbidden: User \"system:anonymous\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"default\"")
        XCTAssertEqual(h.sim.requestLog.last?.user, "system:anonymous")
    }

    func testAlwaysAllowLetsEveryAuthenticatedUserInAndNoAnonymous() throws {
        let h = try ClusterHarness { $0.authorization = .alwaysAllow; $0.tokens = ["f"] }
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces", as: .token("f")).status, 200)
        XCTAssertEqual(try h.request("GET", "/version", as: .none).status, 401)
    }
}
