import KubeSim
import XCTest
import ObjectModel
import TestSupport

/// `Impersonate-*` headers (`kubectl --as`, `--as-group`, `--as-uid`), as kube-apiserver 1.20's
/// filter handles them (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go):
/// the caller needs `impersonate` on each thing asked for, then the request runs as that user.
final class ImpersonationTests: XCTestCase {
    func testAdminActsAsAUserWithThatUsersRights() throws {
        let h = try ClusterHarness()
        var out = try h.kubectl("--as", "alice", "auth", "can-i", "delete", "secrets", "-n", "default")
        XCTAssertEqual(out.stdout, "no\n", out.stderr)
        XCTAssertEqual(out.status, 1)
        out = try h.kubectl("--as", "alice", "get", "secrets", "-n", "default")
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.errors, "Error from server (Forbidden): secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"")
        XCTAssertEqual(h.sim.requestLog.last?.user, "alice")

        XCTAssertEqual(try h.kubectl("create", "rolebinding", "alice-edits", "-n", "default", "--clusterrole=edit", "--user=alice").status, 0)
        out = try h.kubectl("--as", "alice", "auth", "can-i", "delete", "secrets", "-n", "default")
        XCTAssertEqual(out.stdout, "yes\n", out.stderr)
        out = try h.kubectl("--as", "alice", "get", "secrets", "-n", "default", "-o", "name")
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try h.kubectl("--as", "alice", "get", "secrets", "-n", "kube-system")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"")
        // The admin's own rights are not kept: alice is not in system:masters.
        out = try h.kubectl("--as", "alice", "auth", "can-i", "delete", "nodes")
        XCTAssertEqual(out.stdout, "no\n", out.stderr)
    }

    func testCallerNeedsTheImpersonateVerb() throws {
        let h = try ClusterHarness { $0.tokens = ["b-token,bob"] }
        // `get --raw`: where the caller may not impersonate, kubectl's discovery is refused too, and
        // kubectl 1.32 then reports only "unknown" for it, whatever the server says.
        var out = try h.kubectl(token: "b-token", "--as", "alice", "get", "--raw", "/api/v1/namespaces/default/pods")
        XCTAssertEqual(out.status, 1)
        // responsewriters.Forbidden with the impersonation's attributes (impersonation.go, a.Authorize).
        XCTAssertEqual(out.errors, "Error from server (Forbidden): users \"alice\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope")

        XCTAssertEqual(try h.kubectl("create", "clusterrole", "impersonator", "--verb=impersonate", "--resource=users").status, 0)
        XCTAssertEqual(try h.kubectl("create", "clusterrolebinding", "bob-impersonates", "--clusterrole=impersonator", "--user=bob").status, 0)
        out = try h.kubectl(token: "b-token", "--as", "alice", "get", "pods", "-n", "default")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"")
        XCTAssertEqual(try h.kubectl("create", "rolebinding", "alice-views", "-n", "default", "--clusterrole=view", "--user=alice").status, 0)
        out = try h.kubectl(token: "b-token", "--as", "alice", "get", "configmaps", "-n", "default", "-o", "name")
        XCTAssertEqual(out.stdout, "configmap/kube-root-ca.crt\n", out.stderr)
        // bob himself still cannot.
        out = try h.kubectl(token: "b-token", "get", "configmaps", "-n", "default")
        XCTAssertEqual(out.status, 1)

        // Groups are a resource of their own; so is a uid (1.22's Impersonate-Uid, never ignored).
        out = try h.kubectl(token: "b-token", "--as", "alice", "--as-group", "devs", "get", "--raw", "/api/v1/namespaces/default/configmaps")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): groups \"devs\" is forbidden: User \"bob\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope")
        out = try h.kubectl(token: "b-token", "--as", "alice", "--as-uid", "1234", "get", "--raw", "/api/v1/namespaces/default/configmaps")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): uids.authentication.k8s.io \"1234\" is forbidden: User \"bob\" cannot impersonate resource \"uids\" in API group \"authentication.k8s.io\" at the cluster scope")
        let extra = try h.request("GET", "/api/v1/namespaces/default/configmaps", as: .token("b-token"),
                                  headers: ["Impersonate-User: alice", "Impersonate-Extra-Scopes: view"])
        XCTAssertEqual(extra.status, 403)
        XCTAssertEqual(extra.json?["message"]?.stringValue,
                       "userextras.authentication.k8s.io \"view\" is forbidden: User \"bob\" cannot impersonate resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster scope")
        XCTAssertEqual(extra.json?[path: "details", "kind"]?.stringValue, "userextras")

        // resourceNames limit whom bob may be.
        XCTAssertEqual(try h.kubectl("create", "clusterrole", "be-carol", "--verb=impersonate", "--resource=users", "--resource-name=carol").status, 0)
        XCTAssertEqual(try h.kubectl("delete", "clusterrolebinding", "bob-impersonates").status, 0)
        XCTAssertEqual(try h.kubectl("create", "clusterrolebinding", "bob-is-carol", "--clusterrole=be-carol", "--user=bob").status, 0)
        out = try h.kubectl(token: "b-token", "--as", "alice", "get", "--raw", "/api/v1/namespaces/default/configmaps")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): users \"alice\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope")
        out = try h.kubectl(token: "b-token", "--as", "carol", "auth", "can-i", "list", "configmaps", "-n", "default")
        XCTAssertEqual(out.stdout, "no\n", out.stderr)
    }

    /// `system:serviceaccount:NS:NAME` is a service account: `impersonate` on serviceaccounts in NS,
    /// and its groups are system:serviceaccounts and system:serviceaccounts:NS (serviceaccount.MakeGroupNames).
    func testServiceAccountUsers() throws {
        let h = try ClusterHarness { $0.tokens = ["b-token,bob"] }
        XCTAssertEqual(try h.kubectl("create", "clusterrole", "impersonator", "--verb=impersonate", "--resource=users").status, 0)
        XCTAssertEqual(try h.kubectl("create", "clusterrolebinding", "bob-impersonates", "--clusterrole=impersonator", "--user=bob").status, 0)
        var out = try h.kubectl(token: "b-token", "--as", "system:serviceaccount:default:robot", "get", "--raw", "/api/v1/namespaces/default/pods")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): serviceaccounts \"robot\" is forbidden: User \"bob\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"")

        XCTAssertEqual(try h.kubectl("create", "rolebinding", "sa-view", "-n", "default", "--clusterrole=view",
                                     "--group=system:serviceaccounts:default").status, 0)
        out = try h.kubectl("--as", "system:serviceaccount:default:robot", "get", "configmaps", "-n", "default", "-o", "name")
        XCTAssertEqual(out.stdout, "configmap/kube-root-ca.crt\n", out.stderr)
        // Groups given are the authority: the namespace group is no longer implied.
        out = try h.kubectl("--as", "system:serviceaccount:default:robot", "--as-group", "devs", "get", "configmaps", "-n", "default")
        XCTAssertEqual(out.errors, "Error from server (Forbidden): configmaps is forbidden: User \"system:serviceaccount:default:robot\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"")
        // ...but system:authenticated is still added.
        XCTAssertEqual(try h.kubectl("create", "rolebinding", "all-view", "-n", "default", "--clusterrole=view",
                                     "--group=system:authenticated").status, 0)
        out = try h.kubectl("--as", "system:serviceaccount:default:robot", "--as-group", "devs", "get", "configmaps", "-n", "default", "-o", "name")
        XCTAssertEqual(out.stdout, "configmap/kube-root-ca.crt\n", out.stderr)
    }

    func testGroupsWithoutAUserAreAnInternalError() throws {
        let h = try ClusterHarness()
        let r = try h.request("GET", "/api/v1/namespaces", headers: ["Impersonate-Group: devs"])
        // buildImpersonationRequests' error goes to responsewriters.InternalError in 1.20.
        XCTAssertEqual(r.status, 500)
        XCTAssertEqual(r.body, "Internal Server Error: \"/api/v1/namespaces\": requested [{Group  devs    }] without impersonating a user\n")
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces", headers: ["Impersonate-User: bob"]).status, 403)
    }
}
