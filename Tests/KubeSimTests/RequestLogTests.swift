import KubeSim
import XCTest
import ObjectModel
import TestSupport

final class RequestLogTests: XCTestCase {
    func testLogHasRealStatusesAndNoSecrets() throws {
        let logPath = NSTemporaryDirectory() + "/kube-sim-log-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let h = try ClusterHarness {
            $0.logPath = logPath
            $0.tokens = ["tok-very-secret"]
            $0.authorization = .alwaysAllow
        }
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "stringData": ["password": "hunter2"]]
        XCTAssertEqual(try h.request("POST", "/api/v1/namespaces/default/secrets?fieldManager=test", body: secret.jsonString()).status, 201)
        XCTAssertEqual(try h.request("GET", "/api/v1/namespaces/default/secrets/nope", as: .token("tok-very-secret")).status, 404)
        let log = h.sim.requestLog
        XCTAssertEqual(log.count, 2)
        XCTAssertEqual(log[0].method, "POST")
        XCTAssertEqual(log[0].path, "/api/v1/namespaces/default/secrets")
        XCTAssertEqual(log[0].query, "fieldManager=test")
        XCTAssertEqual(log[0].contentType, "application/json")
        XCTAssertEqual(log[0].user, "admin")
        XCTAssertEqual(log[0].status, 201)
        XCTAssertEqual(log[1].status, 404)
        XCTAssertEqual(log[1].user, "token-user-0")

        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(try JSONValue(parsing: String(lines[1]))["status"]?.intValue, 404)
        XCTAssertFalse(text.contains("hunter2"))
        XCTAssertFalse(text.contains("tok-very-secret"))
        XCTAssertFalse(text.lowercased().contains("authorization"))

        h.sim.clearRequestLog()
        XCTAssertTrue(h.sim.requestLog.isEmpty)
    }
}
