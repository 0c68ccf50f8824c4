import Foundation
import XCTest
@testable import KubeClient

final class SupportTests: XCTestCase {
    func testGoBoolTakesStrconvParseBoolSpellingsOnly() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] { XCTAssertEqual(GoBool.parse(t), true, t) }
        for f in ["0", "f", "F", "FALSE", "false", "False"] { XCTAssertEqual(GoBool.parse(f), false, f) }
        for bad in ["", "yes", "no", "on", "tRUE", "FaLsE", " true", "true ", "2", "-1"] { XCTAssertNil(GoBool.parse(bad), bad) }
    }

    func testServerURL() {
        XCTAssertEqual(ServerURL("https://k:6443")?.port, 6443)
        XCTAssertEqual(ServerURL("https://k")?.port, 443)
        XCTAssertEqual(ServerURL("https://[::1]:8443/prefix/")?.description, "https://[::1]:8443/prefix")
        XCTAssertEqual(ServerURL("https://[::1]:8443")?.host, "::1")
        XCTAssertNil(ServerURL("ftp://k"))
        XCTAssertNil(ServerURL("https://k:99999"))
        XCTAssertNil(ServerURL("https://"))
    }

    func testPaths() throws {
        let s = Scratch()
        s.write(".kube/config", kubeconfigYAML())
        let c = try KubeClient(options: isolatedOptions(home: s.path))
        XCTAssertEqual(c.path(.namespaces, namespace: nil, name: "a"), "/api/v1/namespaces/a")
        XCTAssertEqual(c.path(.configMaps, namespace: "ns", name: "cm"), "/api/v1/namespaces/ns/configmaps/cm")
        XCTAssertEqual(c.path(.deployments, namespace: "ns", name: nil), "/apis/apps/v1/namespaces/ns/deployments")
        XCTAssertEqual(c.path(.clusterRoles, namespace: "ignored", name: "x:y"), "/apis/rbac.authorization.k8s.io/v1/clusterroles/x:y")
        XCTAssertEqual(URLEncoding.query([("labelSelector", "app=a,b in (c)")]), "labelSelector=app%3Da%2Cb%20in%20%28c%29")
    }

    func testAPIResourceTable() {
        XCTAssertEqual(APIResource.forObject(apiVersion: "apps/v1", kind: "Deployment"), .deployments)
        XCTAssertEqual(APIResource.forObject(apiVersion: "v1", kind: "ConfigMap"), .configMaps)
        XCTAssertEqual(APIResource.forObject(apiVersion: "apiextensions.k8s.io/v1beta1", kind: "CustomResourceDefinition"),
                       .customResourceDefinitionsV1beta1)
        XCTAssertNil(APIResource.forObject(apiVersion: "v1", kind: "Nope"))
        XCTAssertEqual(APIResource.deployments.groupVersion, "apps/v1")
        XCTAssertEqual(APIResource.secrets.groupVersion, "v1")
    }

    func testRedaction() {
        XCTAssertEqual(RequestLogger.redactHeader(name: "Authorization", value: "Bearer abc"), "Bearer <masked>")
        XCTAssertEqual(RequestLogger.redactHeader(name: "authorization", value: "Basic YWRtaW46cw=="), "Basic <masked>")
        XCTAssertEqual(RequestLogger.redactHeader(name: "Accept", value: "application/json"), "application/json")
        let log = LogCapture()
        let l = RequestLogger(verbosity: 9, sink: log.sink)
        l.addSecret("sup3r-secret-token")
        l.log(6, "body {\"token\":\"sup3r-secret-token\"}")
        XCTAssertFalse(log.text.contains("sup3r-secret-token"))
        XCTAssertTrue(log.text.contains("<masked>"))
    }

    func testServerVersionParsing() throws {
        let v = ServerVersion(json: try .init(parsing: #"{"major":"1","minor":"21+","gitVersion":"v1.21.2-eks-1"}"#))
        XCTAssertEqual(v.major, 1)
        XCTAssertEqual(v.minor, 21)
        let w = ServerVersion(json: try .init(parsing: #"{"major":"","minor":"","gitVersion":"v1.19.3"}"#))
        XCTAssertEqual(w.minor, 19)
    }

    func testStatusErrorsKeepServerMessages() {
        let cfg = ClientConfig(server: "https://k:6443", contextName: "ctx", clusterName: "c", userName: "bob", namespace: "default", source: "kubeconfig /x")
        let req = HTTPRequest(method: "GET", path: "/api/v1/namespaces/x", idempotent: true, verb: "get", resource: "namespaces", name: "x")
        func resp(_ code: Int, _ body: String) -> HTTPResponse {
            HTTPResponse(status: code, statusLine: "HTTP/2 \(code)", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        let nf = KubeError.fromResponse(resp(404, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"namespaces \"x\" not found","reason":"NotFound","code":404}"#),
                                        request: req, config: cfg, url: "", attempts: 1)
        XCTAssertEqual(nf.kind, .notFound)
        XCTAssertEqual(nf.message, "namespaces \"x\" not found")
        XCTAssertEqual(nf.reason, "NotFound")
        XCTAssertEqual(nf.code, 404)
        let un = KubeError.fromResponse(resp(401, #"{"kind":"Status","message":"Unauthorized","reason":"Unauthorized","code":401}"#),
                                        request: req, config: cfg, url: "", attempts: 1)
        XCTAssertEqual(un.kind, .unauthorized)
        XCTAssertTrue(un.message.contains("\"bob\"") && un.message.contains("\"ctx\""), un.message)
        let fb = KubeError.fromResponse(resp(403, ""), request: req, config: cfg, url: "", attempts: 1)
        XCTAssertEqual(fb.kind, .forbidden)
        XCTAssertTrue(fb.message.contains("get namespaces"), fb.message)
        let ae = KubeError.fromResponse(resp(409, #"{"kind":"Status","message":"configmaps \"a\" already exists","reason":"AlreadyExists","code":409}"#),
                                        request: req, config: cfg, url: "", attempts: 1)
        XCTAssertEqual(ae.kind, .alreadyExists)
        let html = KubeError.fromResponse(HTTPResponse(status: 502, statusLine: "HTTP/1.1 502 Bad Gateway", headers: [], body: Array("<html>\n<b>bad</b></html>".utf8)),
                                          request: req, config: cfg, url: "", attempts: 3)
        XCTAssertEqual(html.kind, .serverError)
        XCTAssertFalse(html.message.contains("\n"))
        XCTAssertTrue(html.message.contains("Bad Gateway after 3 attempts"), html.message)
    }
}
