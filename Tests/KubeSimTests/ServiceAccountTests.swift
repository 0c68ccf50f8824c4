import Foundation
import XCTest
import ObjectModel
import TestSupport

/// ServiceAccounts as on a 1.20 cluster: the token controller's Secrets, TokenRequest (`kubectl create token`),
/// tokens that authenticate, and the `kubernetes` Service every API server keeps.
/// (Expected answers written from the v1.20 sources cited in the server's comments, from knowledge of them.)
final class ServiceAccountTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    /// kubectl with a bearer token only (a JWT is too long for the harness's per-token kubeconfig file name).
    private func kubectl(token: String, _ args: String...) throws -> ProcessResult {
        let path = h.file("kubeconfig-token-\(UUID().uuidString)")
        let config: JSONValue = [
            "apiVersion": "v1", "kind": "Config",
            "clusters": [["name": "sim", "cluster": ["server": .string(h.sim.url), "certificate-authority": .string(h.caFile)]]],
            "users": [["name": "u", "user": ["token": .string(token)]]],
            "contexts": [["name": "sim", "context": ["cluster": "sim", "user": "u"]]],
            "current-context": "sim",
        ]
        try config.jsonString().write(toFile: path, atomically: true, encoding: .utf8)
        return try ProcessRunner.run(try Tools.kubectl(), ["--cache-dir", h.file("cache-\(UUID().uuidString)")] + args,
                                     environment: h.environment(["KUBECONFIG": path]), in: h.dir, timeout: 120)
    }

    private func json(_ r: ProcessResult, file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return (try? JSONValue(parsing: Array(r.stdout.utf8))) ?? .null
    }

    /// pkg/controller/serviceaccount/tokens_controller.go (v1.20): every ServiceAccount, `default` of each
    /// namespace included, gets a `kubernetes.io/service-account-token` Secret `<sa>-token-xxxxx` with `ca.crt`,
    /// `namespace` and `token`, annotated with the account's name and uid, and referenced in its `secrets`.
    func testEveryServiceAccountGetsATokenSecret() throws {
        XCTAssertEqual(try h.kubectl("create", "namespace", "team").status, 0)
        XCTAssertEqual(try h.kubectl("create", "serviceaccount", "builder", "-n", "team").status, 0)
        for (ns, name) in [("default", "default"), ("kube-system", "default"), ("team", "default"), ("team", "builder")] {
            let sa = json(try h.kubectl("get", "serviceaccount", name, "-n", ns, "-o", "json"))
            let refs = sa["secrets"]?.arrayValue ?? []
            XCTAssertEqual(refs.count, 1, "\(ns)/\(name): \(sa.jsonString())")
            let secretName = refs.first?["name"]?.stringValue ?? ""
            XCTAssertTrue(secretName.hasPrefix("\(name)-token-") && secretName.count == name.count + 12, secretName)
            XCTAssertNil(secretName.dropFirst(name.count + 7).first { !"bcdfghjklmnpqrstvwxz2456789".contains($0) }, secretName)
            let secret = json(try h.kubectl("get", "secret", secretName, "-n", ns, "-o", "json"))
            XCTAssertEqual(secret["type"]?.stringValue, "kubernetes.io/service-account-token")
            XCTAssertEqual(secret[path: "metadata", "annotations", "kubernetes.io/service-account.name"]?.stringValue, name)
            XCTAssertEqual(secret[path: "metadata", "annotations", "kubernetes.io/service-account.uid"], sa[path: "metadata", "uid"])
            XCTAssertEqual(Set(secret["data"]?.objectValue?.keys ?? []), ["ca.crt", "namespace", "token"])
            let data = { (k: String) in String(decoding: Base64.decode(secret[path: "data", k]?.stringValue ?? "") ?? [], as: UTF8.self) }
            XCTAssertEqual(data("namespace"), ns)
            XCTAssertEqual(data("ca.crt"), h.sim.caPEM)
            XCTAssertEqual(data("token").split(separator: ".").count, 3, "a JWT")
            // `kubectl describe sa` lists it as the account's token (Tokens: column from the referenced secrets).
            if ns == "team", name == "builder" {
                let describe = try h.kubectl("describe", "serviceaccount", "builder", "-n", "team")
                XCTAssertTrue(describe.stdout.contains(secretName), describe.stdout)
            }
        }
        // The legacy token authenticates as the account (RBAC then refuses it what it was not granted).
        let secretName = json(try h.kubectl("get", "sa", "builder", "-n", "team", "-o", "json"))[path: "secrets"]?[0]?["name"]?.stringValue ?? ""
        let secret = json(try h.kubectl("get", "secret", secretName, "-n", "team", "-o", "json"))
        let token = String(decoding: Base64.decode(secret[path: "data", "token"]?.stringValue ?? "") ?? [], as: UTF8.self)
        var r = try h.request("GET", "/api/v1/namespaces/team/pods", as: .token(token))
        XCTAssertEqual(r.status, 403, r.body)
        XCTAssertEqual(r.json?["message"]?.stringValue,
                       "pods is forbidden: User \"system:serviceaccount:team:builder\" cannot list resource \"pods\" in API group \"\" in the namespace \"team\"")
        XCTAssertEqual(try h.kubectl("create", "rolebinding", "b", "--clusterrole=view", "--serviceaccount=team:builder", "-n", "team").status, 0)
        XCTAssertEqual(try kubectl(token: token, "get", "pods", "-n", "team").stderr, "No resources found in team namespace.\n")
        // legacy.go Validate: a deleted token Secret no longer authenticates; the controller drops the
        // reference and makes a new token.
        XCTAssertEqual(try h.kubectl("delete", "secret", secretName, "-n", "team").status, 0)
        r = try h.request("GET", "/api/v1/namespaces/team/pods", as: .token(token))
        XCTAssertEqual(r.status, 401, r.body)
        let refs = json(try h.kubectl("get", "sa", "builder", "-n", "team", "-o", "json"))["secrets"]?.arrayValue ?? []
        XCTAssertEqual(refs.count, 1)
        XCTAssertNotEqual(refs.first?["name"]?.stringValue, secretName)
        // Deleting the account deletes its token Secrets.
        XCTAssertEqual(try h.kubectl("delete", "sa", "builder", "-n", "team").status, 0)
        let left = try h.kubectl("get", "secrets", "-n", "team", "-o", "name").stdout
        XCTAssertFalse(left.contains("builder-token-"), left)
        // A token that is not the server's: 401.
        r = try h.request("GET", "/api/v1/namespaces/team/pods", as: .token("x" + token))
        XCTAssertEqual(r.status, 401)
    }

    /// `kubectl create token` (1.32) posts an authentication.k8s.io/v1 TokenRequest to
    /// `serviceaccounts/<name>/token` (pkg/registry/core/serviceaccount/storage/token.go, v1.20): audiences
    /// default to the API's, expirationSeconds to 3600 and may not be under 600; the token authenticates
    /// as the account until it expires.
    func testKubectlCreateToken() throws {
        var r = try h.kubectl("create", "token", "default")
        XCTAssertEqual(r.status, 0, r.stderr)
        let token = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = token.split(separator: ".")
        XCTAssertEqual(parts.count, 3, token)
        let claims = (try? JSONValue(parsing: Base64.decode(parts[1], .lenient) ?? [])) ?? .null
        XCTAssertEqual(claims["sub"]?.stringValue, "system:serviceaccount:default:default")
        XCTAssertEqual(claims["aud"], ["https://kubernetes.default.svc.cluster.local"])
        XCTAssertEqual(claims["iss"]?.stringValue, "https://kubernetes.default.svc.cluster.local")
        XCTAssertEqual((claims["exp"]?.intValue ?? 0) - (claims["iat"]?.intValue ?? 0), 3600)
        XCTAssertEqual(claims[path: "kubernetes.io", "serviceaccount", "name"]?.stringValue, "default")
        let reply = try h.request("GET", "/api/v1/namespaces/default/configmaps", as: .token(token))
        XCTAssertEqual(reply.status, 403, reply.body)
        XCTAssertTrue(reply.body.contains("User \\\"system:serviceaccount:default:default\\\""), reply.body)

        // Output as the object, with --duration and --audience.
        r = try h.kubectl("create", "token", "default", "--duration=2h", "--audience=vault", "-o", "json")
        let request = json(r)
        XCTAssertEqual(request["kind"]?.stringValue, "TokenRequest")
        XCTAssertEqual(request["apiVersion"]?.stringValue, "authentication.k8s.io/v1")
        XCTAssertEqual(request[path: "spec", "expirationSeconds"]?.intValue, 7200)
        XCTAssertEqual(request[path: "spec", "audiences"], ["vault"])
        XCTAssertNotNil(request[path: "status", "expirationTimestamp"]?.stringValue)
        // A token for another audience does not authenticate to the API.
        let other = request[path: "status", "token"]?.stringValue ?? ""
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default/configmaps", as: .token(other)).status, 401)

        // Bound to a pod of the account.
        XCTAssertEqual(try h.kubectl("run", "p", "--image=nginx:1.19").status, 0)
        r = try h.kubectl("create", "token", "default", "--bound-object-kind=Pod", "--bound-object-name=p")
        XCTAssertEqual(r.status, 0, r.stderr)

        r = try h.kubectl("create", "token", "default", "--duration=1m")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr,
                       "error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n")
        r = try h.kubectl("create", "token", "ghost")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: failed to create token: serviceaccounts \"ghost\" not found\n")
        // Discovery lists the subresource.
        let (_, v1) = try h.json("GET", "/api/v1")
        let subresource = v1["resources"]?.arrayValue?.first { $0["name"]?.stringValue == "serviceaccounts/token" }
        XCTAssertEqual(subresource?["kind"]?.stringValue, "TokenRequest")
        XCTAssertEqual(subresource?["group"]?.stringValue, "authentication.k8s.io")
        XCTAssertEqual(subresource?["verbs"], ["create"])
    }

    /// pkg/master/controller.go (v1.20): the `kubernetes` Service in `default` (the service range's first IP,
    /// 443 `https` to the secure port, no selector, labels component=apiserver and provider=kubernetes) and
    /// Endpoints with the server's own address.
    func testTheKubernetesService() throws {
        let svc = json(try h.kubectl("get", "service", "kubernetes", "-o", "json"))
        XCTAssertEqual(svc[path: "spec", "clusterIP"]?.stringValue, "10.96.0.1")
        XCTAssertEqual(svc[path: "spec", "type"]?.stringValue, "ClusterIP")
        XCTAssertEqual(svc[path: "spec", "ports"], [["name": "https", "protocol": "TCP", "port": 443, "targetPort": .int(h.sim.port)]])
        XCTAssertNil(svc[path: "spec", "selector"])
        XCTAssertEqual(svc[path: "metadata", "labels"], ["component": "apiserver", "provider": "kubernetes"])
        let row = try h.kubectl("get", "service", "kubernetes", "--no-headers").stdout
        XCTAssertEqual(row.split(separator: " ", omittingEmptySubsequences: true).prefix(5),
                       ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"])
        let ep = try h.kubectl("get", "endpoints", "kubernetes", "--no-headers").stdout
        XCTAssertEqual(ep.split(separator: " ", omittingEmptySubsequences: true).prefix(2),
                       ["kubernetes", Substring("127.0.0.1:\(h.sim.port)")])
        // The IP is taken: another Service asking for it is refused.
        let r = try h.kubectl("create", "service", "clusterip", "x", "--tcp=80:80", "--clusterip=10.96.0.1")
        XCTAssertEqual(r.stderr,
                       "error: failed to create ClusterIP service: Service \"x\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.1\"}: failed to allocated ip:10.96.0.1 with error:provided IP is already allocated\n")
    }
}
