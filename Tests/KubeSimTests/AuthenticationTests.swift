import KubeSim
import XCTest
import ObjectModel
import YAMLCodec
import TestSupport

final class AuthenticationTests: XCTestCase {
    /// With AlwaysAllow (kube-apiserver then turns anonymous access off); under RBAC see RBACTests.
    func testNoCredentialsIsUnauthorizedWithStatusBody() throws {
        let h = try ClusterHarness { $0.authorization = .alwaysAllow }
        let r = try h.request("GET", "/api/v1/namespaces", as: .none)
        XCTAssertEqual(r.status, 401)
        XCTAssertEqual(r.json?["kind"]?.stringValue, "Status")
        XCTAssertEqual(r.json?["reason"]?.stringValue, "Unauthorized")
        XCTAssertEqual(r.json?["code"]?.intValue, 401)
    }

    func testBearerTokens() throws {
        let h = try ClusterHarness { $0.tokens = ["s3cret", "other,alice"]; $0.authorization = .alwaysAllow }
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default", as: .token("s3cret")).status, 200)
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default", as: .token("other")).status, 200)
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default", as: .token("wrong")).status, 401)
        let users = h.sim.requestLog.map(\.user)
        XCTAssertEqual(users, ["token-user-0", "alice", ""])
    }

    func testClientCertificateCommonNameIsTheUser() throws {
        let h = try ClusterHarness { $0.authorization = .alwaysAllow }
        let pair = try h.sim.issueClientCertificate(commonName: "jane", groups: ["devs"])
        let r = try h.request("GET", "/api/v1/namespaces/default", as: .certificate(cert: pair.certPEM, key: pair.keyPEM))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(h.sim.requestLog.last?.user, "jane")
    }

    /// ALPN offers h2 as a real API server does; over HTTP/2 the client certificate (which lives
    /// on the connection, not the stream) still names the user. `http2 = false` offers HTTP/1.1 only.
    func testHTTP2IsNegotiatedAndCanBeTurnedOff() throws {
        for (http2, expected) in [(true, "2"), (false, "1.1")] {
            let h = try ClusterHarness { $0.http2 = http2 }
            let out = try ProcessRunner.run("/usr/bin/curl", [
                "-s", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_version} %{http_code} ", "--cacert", h.caFile,
                "--cert", h.adminCertificate.cert, "--key", h.adminCertificate.key,
                h.sim.url + "/api/v1/namespaces/default", h.sim.url + "/api/v1/namespaces/kube-system",
            ])
            XCTAssertEqual(out.stdout, "\(expected) 200 \(expected) 200 ", "http2 = \(http2)")
            XCTAssertEqual(h.sim.requestLog.map(\.user), ["admin", "admin"], "http2 = \(http2)")
        }
    }

    func testKubeconfigForAnotherUser() throws {
        let h = try ClusterHarness()
        let path = h.file("bob.kubeconfig")
        try h.sim.writeKubeconfig(to: path, user: "bob")
        let config = try YAML.parse(try String(contentsOfFile: path, encoding: .utf8))
        XCTAssertEqual(config["current-context"]?.stringValue, "kube-sim")
        XCTAssertEqual(config["clusters"]?[0]?[path: "cluster", "server"]?.stringValue, h.sim.url)
        XCTAssertNotNil(config["users"]?[0]?[path: "user", "client-certificate-data"]?.stringValue)
        let out = try ProcessRunner.run(try Tools.kubectl(), ["--kubeconfig", path, "--cache-dir", h.file("bob-cache"), "get", "ns", "default", "-o", "name"])
        // bob has a certificate but, under RBAC, no rights.
        XCTAssertEqual(out.errors, "Error from server (Forbidden): namespaces \"default\" is forbidden: User \"bob\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"default\"")
        XCTAssertEqual(h.sim.requestLog.last?.user, "bob")
    }

    func testPlainHTTPWithToken() throws {
        var o = KubeSimOptions()
        o.insecureHTTP = true
        o.tokens = ["t0k"]
        let sim = try KubeSim(options: o)
        try sim.start()
        defer { sim.stop() }
        XCTAssertTrue(sim.url.hasPrefix("http://127.0.0.1:"))
        let out = try ProcessRunner.run("/usr/bin/curl", ["-s", "-H", "Authorization: Bearer t0k", sim.url + "/version"])
        XCTAssertEqual(try JSONValue(parsing: out.stdout)["gitVersion"]?.stringValue, "v1.20.15")
    }

    func testStopIsIdempotentAndFreesThePort() throws {
        let sim = try KubeSim(options: KubeSimOptions())
        try sim.start()
        let port = sim.port
        XCTAssertGreaterThan(port, 0)
        sim.stop()
        sim.stop()
        var o = KubeSimOptions()
        o.port = port
        let again = try KubeSim(options: o)
        try again.start()
        XCTAssertEqual(again.port, port)
        again.stop()
    }
}
