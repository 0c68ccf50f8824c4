import XCTest
import ObjectModel
import TestSupport

final class ListAndSelectorTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws {
        h = try ClusterHarness()
        for ns in ["a", "b"] {
            XCTAssertEqual(try h.json("POST", "/api/v1/namespaces", body: ["metadata": ["name": .string(ns)]]).0, 201)
        }
        for (ns, name, labels) in [("a", "one", ["app": "x", "tier": "web"]), ("a", "two", ["app": "y"]),
                                   ("b", "three", ["app": "x"]), ("b", "four", [:])] as [(String, String, [String: String])] {
            let body: JSONValue = ["metadata": ["name": .string(name), "labels": JSONValue(labels)], "data": ["k": "v"]]
            XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/\(ns)/configmaps", body: body).0, 201)
        }
    }
    override func tearDown() { h = nil }

    func names(_ path: String) throws -> [String] {
        let (status, list) = try h.json("GET", path)
        XCTAssertEqual(status, 200, "\(path): \(list.jsonString())")
        return (list["items"]?.arrayValue ?? []).compactMap { $0[path: "metadata", "name"]?.stringValue }
            .filter { $0 != "kube-root-ca.crt" }
    }

    func testLabelSelectors() throws {
        XCTAssertEqual(try names("/api/v1/configmaps?labelSelector=app%3Dx"), ["one", "three"])
        XCTAssertEqual(try names("/api/v1/configmaps?labelSelector=app%3D%3Dy"), ["two"])
        XCTAssertEqual(try names("/api/v1/configmaps?labelSelector=app!%3Dx"), ["two", "four"])
        XCTAssertEqual(try names("/api/v1/configmaps?labelSelector=app%20in%20(x%2Cy)"), ["one", "two", "three"])
        XCTAssertEqual(try names("/api/v1/configmaps?labelSelector=app%20notin%20(x)"), ["two", "four"])
        XCTAssertEqual(try names("/api/v1/configmaps?labelSelector=tier"), ["one"])
        XCTAssertEqual(try names("/api/v1/namespaces/b/configmaps?labelSelector=!app"), ["four"])
        XCTAssertEqual(try names("/api/v1/namespaces/a/configmaps?labelSelector=app%3Dx,tier%3Dweb"), ["one"])
    }

    func testFieldSelectors() throws {
        XCTAssertEqual(try names("/api/v1/configmaps?fieldSelector=metadata.name%3Dtwo"), ["two"])
        XCTAssertEqual(try names("/api/v1/configmaps?fieldSelector=metadata.namespace%3Db"), ["four", "three"])
        XCTAssertEqual(try names("/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name!%3Done"), ["two"])
    }

    func testLimitAndContinue() throws {
        var seen: [String] = []
        var path = "/api/v1/configmaps?limit=2"
        var pages = 0
        while true {
            let (status, list) = try h.json("GET", path)
            XCTAssertEqual(status, 200)
            XCTAssertLessThanOrEqual(list["items"]?.arrayValue?.count ?? 0, 2)
            seen += (list["items"]?.arrayValue ?? []).map {
                "\($0[path: "metadata", "namespace"]?.stringValue ?? "")/\($0[path: "metadata", "name"]?.stringValue ?? "")"
            }
            pages += 1
            guard let c = list[path: "metadata", "continue"]?.stringValue, !c.isEmpty else { break }
            XCTAssertNotNil(list[path: "metadata", "remainingItemCount"])
            path = "/api/v1/configmaps?limit=2&continue=\(c.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? c)"
        }
        let all = try h.json("GET", "/api/v1/configmaps").1["items"]?.arrayValue ?? []
        XCTAssertEqual(seen.count, all.count)
        XCTAssertEqual(Set(seen).count, seen.count)
        XCTAssertGreaterThan(pages, 2)
    }

    func testAllNamespacesDeploymentListAndListMetadata() throws {
        let (status, list) = try h.json("GET", "/apis/apps/v1/deployments")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(list["kind"]?.stringValue, "DeploymentList")
        XCTAssertEqual(list["apiVersion"]?.stringValue, "apps/v1")
        XCTAssertNotNil(list[path: "metadata", "resourceVersion"]?.stringValue)
        XCTAssertEqual(list["items"], [])
    }

    func testBadSelectorIsBadRequest() throws {
        let r = try h.request("GET", "/api/v1/configmaps?labelSelector=a%20b")
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.json?["reason"]?.stringValue, "BadRequest")
    }
}
