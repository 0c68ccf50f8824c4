import KubeSim
import XCTest
import ObjectModel
import TestSupport

/// Watches as older clients send them.
final class WatchFormsTests: XCTestCase {
    private func events(_ r: ClusterHarness.Reply) -> [(String, String)] {
        r.body.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }.map {
            ($0["type"]?.stringValue ?? "", $0[path: "object", "metadata", "name"]?.stringValue ?? "")
        }
    }

    func testWatchParameterSpellingsAndLegacyPaths() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "a"]]).0, 201)
        for w in ["true", "1", "True"] {
            let r = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=\(w)&timeoutSeconds=1&fieldSelector=metadata.name%3Da")
            XCTAssertEqual(events(r).first?.0, "ADDED", "watch=\(w)")
        }
        let list = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=false&fieldSelector=metadata.name%3Da")
        XCTAssertEqual(list.json?["kind"]?.stringValue, "ConfigMapList")
        let legacy = try h.request("GET", "/api/v1/watch/namespaces/default/configmaps?timeoutSeconds=1")
        XCTAssertTrue(events(legacy).contains { $0 == ("ADDED", "a") })
        let one = try h.request("GET", "/api/v1/watch/namespaces/default/configmaps/a?timeoutSeconds=1")
        XCTAssertEqual(events(one).map(\.1), ["a"])
        let all = try h.request("GET", "/api/v1/watch/configmaps?timeoutSeconds=1")
        XCTAssertTrue(events(all).contains { $0 == ("ADDED", "kube-root-ca.crt") })
    }

    func testLabelSelectorWatchSeesObjectsLeaveAndEnter() throws {
        let h = try ClusterHarness()
        let (_, cm) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "x", "labels": ["team": "a"]]])
        let rv = cm[path: "metadata", "resourceVersion"]?.stringValue ?? "0"
        XCTAssertEqual(try h.json("PATCH", "/api/v1/namespaces/default/configmaps/x", body: ["metadata": ["labels": ["team": "b"]]],
                                  contentType: "application/merge-patch+json").0, 200)
        XCTAssertEqual(try h.json("PATCH", "/api/v1/namespaces/default/configmaps/x", body: ["metadata": ["labels": ["team": "a"]]],
                                  contentType: "application/merge-patch+json").0, 200)
        let r = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&labelSelector=team%3Da&resourceVersion=\(rv)&timeoutSeconds=1")
        XCTAssertEqual(events(r).map(\.0), ["DELETED", "ADDED"])
        let deleted = r.body.split(separator: "\n").first.flatMap { try? JSONValue(parsing: String($0)) }
        XCTAssertEqual(deleted?[path: "object", "metadata", "labels", "team"], "a", "DELETED carries the last matching state")
    }

    /// A watch from a resourceVersion older than the kept history gets one ERROR event (410 Expired)
    /// and ends, as 1.20's cacher answers (staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go,
    /// Watch: `return newErrWatcher(err), nil`; watch_cache.go: "too old resource version: %d (%d)").
    func testWatchEndsAfterItsExpiredError() throws {
        let h = try ClusterHarness()
        for i in 0..<4100 {
            try h.sim.put(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "churn", "namespace": "default"],
                           "data": ["i": .string(String(i))]])
        }
        // A stream left open would go on with the kept history's MODIFIED events after the ERROR.
        let r = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2&timeoutSeconds=1")
        XCTAssertEqual(r.status, 200)
        let lines = r.body.split(separator: "\n").map { try? JSONValue(parsing: String($0)) }
        XCTAssertEqual(lines.count, 1, "nothing follows the ERROR event: \(r.body.prefix(300))")
        XCTAssertEqual(lines.first??["type"], "ERROR")
        XCTAssertEqual(lines.first??[path: "object", "code"], 410)
        XCTAssertEqual(lines.first??[path: "object", "reason"], "Expired")
        XCTAssertTrue(lines.first??[path: "object", "message"]?.stringValue?.hasPrefix("too old resource version: 2 (") == true, r.body)
    }
}
