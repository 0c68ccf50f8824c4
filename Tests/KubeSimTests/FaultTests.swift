import KubeSim
import XCTest
import ObjectModel
import TestSupport

final class FaultTests: XCTestCase {
    func testFirstNRequestsFailWithRetryAfterThenSucceed() throws {
        let h = try ClusterHarness {
            $0.faults = [FaultRule(method: "GET", path: "^/api/v1/namespaces/default$", count: 2, status: 503, retryAfter: 1)]
        }
        let first = try h.request("GET", "/api/v1/namespaces/default", headers: [])
        XCTAssertEqual(first.status, 503)
        XCTAssertEqual(first.json?["reason"]?.stringValue, "ServiceUnavailable")
        XCTAssertEqual(first.json?[path: "details", "retryAfterSeconds"]?.intValue, 1)
        let headers = try ProcessRunner.run("/usr/bin/curl", ["-s", "-D", "-", "-o", "/dev/null", "--cacert", h.caFile,
                                                           "--cert", h.adminCertificate.cert, "--key", h.adminCertificate.key,
                                                           h.sim.url + "/api/v1/namespaces/default"])
        XCTAssertTrue(headers.stdout.lowercased().contains("retry-after: 1"), headers.stdout)
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default").status, 200)
        XCTAssertEqual(try h.request("POST", "/api/v1/namespaces", body: #"{"metadata":{"name":"a"}}"#).status, 201)
        XCTAssertEqual(h.sim.requestLog.map(\.status), [503, 503, 200, 201])
    }

    func testSkipCustomReasonAndDroppedConnection() throws {
        let h = try ClusterHarness()
        h.sim.setFaults([
            FaultRule(path: "configmaps", skip: 1, count: 1, status: 429, reason: "TooManyRequests", message: "slow down"),
            FaultRule(method: "DELETE", path: ".*", dropConnection: true),
        ])
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default/configmaps").status, 200)
        let r = try h.request("GET", "/api/v1/namespaces/default/configmaps")
        XCTAssertEqual(r.status, 429)
        XCTAssertEqual(r.json?["message"]?.stringValue, "slow down")
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default/configmaps").status, 200)
        XCTAssertEqual(try h.request("DELETE", "/api/v1/namespaces/default/configmaps/x").status, 0)
        XCTAssertEqual(h.sim.requestLog.last?.status, 0)
        h.sim.setFaults([])
        XCTAssertEqual(try h.request("DELETE", "/api/v1/namespaces/default/configmaps/x").status, 404)
    }

    func testDelayStillAnswers() throws {
        let h = try ClusterHarness { $0.faults = [FaultRule(path: "^/version$", delayMs: 100)] }
        let r = try h.request("GET", "/version")
        XCTAssertEqual(r.status, 200)
        XCTAssertGreaterThan(h.sim.requestLog.last?.durationMs ?? 0, 0)
    }

    func testAdminEndpointNeedsAdminToken() throws {
        let h = try ClusterHarness { $0.adminToken = "root" }
        XCTAssertEqual(try h.request("PUT", "/kube-sim/faults", body: "[]", as: .token("nope")).status, 403)
        XCTAssertEqual(try h.request("PUT", "/kube-sim/faults", body: "[]").status, 403)
        let rules = #"[{"method":"GET","path":"^/api$","status":500,"count":1}]"#
        let put = try h.request("PUT", "/kube-sim/faults", body: rules, as: .token("root"))
        XCTAssertEqual(put.status, 200)
        XCTAssertEqual(put.json?[0]?["status"]?.intValue, 500)
        XCTAssertEqual(try h.request("GET", "/api").status, 500)
        XCTAssertEqual(try h.request("GET", "/api").status, 200)
        let yaml = "- path: ^/apis$\n  status: 504\n"
        XCTAssertEqual(try h.request("POST", "/kube-sim/faults", body: yaml, contentType: "application/yaml", as: .token("root")).status, 200)
        XCTAssertEqual(try h.request("GET", "/kube-sim/faults", as: .token("root")).json?.arrayValue?.count, 2)
        XCTAssertEqual(try h.request("GET", "/apis").status, 504)
        XCTAssertEqual(try h.request("DELETE", "/kube-sim/faults", as: .token("root")).status, 200)
        XCTAssertEqual(try h.request("GET", "/apis").status, 200)
    }

    func testFaultsFileFormat() throws {
        let rules = try FaultRule.parseList("""
            faults:
            - method: PATCH
              path: /configmaps/
              first: 3
              status: 409
              reason: Conflict
            - path: ^/api/v1/pods$
              delayMs: 50
              drop: true
            """)
        XCTAssertEqual(rules.count, 2)
        XCTAssertEqual(rules[0].count, 3)
        XCTAssertEqual(rules[0].status, 409)
        XCTAssertTrue(rules[1].dropConnection)
        XCTAssertThrowsError(try FaultRule.parseList("- status: 500"))
    }
}
