import XCTest
@testable import ObjectModel
@testable import YAMLCodec

final class YAMLTests: XCTestCase {
    func testParsesKubeconfigShapes() throws {
        let doc = try YAML.parse("""
        apiVersion: v1
        clusters:
        - cluster:
            server: https://127.0.0.1:6443
            insecure-skip-tls-verify: true
          name: sim
        current-context: "sim"
        port: 0x10
        quoted: "123"
        empty:
        list: [a, 1, 2.5, null]
        """)
        XCTAssertEqual(doc["apiVersion"], "v1")
        XCTAssertEqual(doc["clusters"]?[0]?["cluster"]?["insecure-skip-tls-verify"], true)
        XCTAssertEqual(doc["clusters"]?[0]?["name"], "sim")
        XCTAssertEqual(doc["port"], 16)
        XCTAssertEqual(doc["quoted"], "123")
        XCTAssertEqual(doc["empty"], .null)
        XCTAssertEqual(doc["list"], ["a", 1, 2.5, nil])
        XCTAssertEqual(doc.objectValue?.keys, ["apiVersion", "clusters", "current-context", "port", "quoted", "empty", "list"])
    }

    func testMultiDocumentAndAnchors() throws {
        let docs = try YAML.parseDocuments("a: &x {k: v}\nb: *x\n---\n---\n- 1\n")
        XCTAssertEqual(docs.count, 2)
        XCTAssertEqual(docs[0]["b"]?["k"], "v")
        XCTAssertEqual(docs[1], [1])
    }

    func testErrorsCarryLineAndColumn() {
        XCTAssertThrowsError(try YAML.parse("a: b\nc: [1, 2\nd: e\n")) { e in
            let err = e as! YAMLError
            XCTAssertGreaterThanOrEqual(err.line, 2)
            XCTAssertGreaterThan(err.column, 0)
        }
        XCTAssertThrowsError(try YAML.parse("a: *nope\n"))
        XCTAssertThrowsError(try YAML.parse("\t- x: y"))
    }

    func testEmitRoundTrips() throws {
        let v: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "osm-config", "labels": ["app.kubernetes.io/name": "openservicemesh.io"]],
            "data": ["egress": "true", "port": "9411", "empty": "", "colon": "a: b", "multi": "line1\nline2\n",
                     "dash": "-", "star": "*x", "nul": "null", "sp": " lead"],
            "list": [["name": "a", "ports": [1, 2]], "s", [1, 2]], "none": [], "obj": [:], "f": 1.5, "n": nil,
        ]
        let text = YAML.emit(v)
        XCTAssertTrue(text.contains("egress: \"true\"\n"), text)
        XCTAssertTrue(text.contains("- name: a\n  ports:\n  - 1\n"), text)
        XCTAssertEqual(try YAML.parse(text), v, text)
        let stream = YAML.emitDocuments([v, ["a": 1]])
        XCTAssertEqual(try YAML.parseDocuments(stream), [v, ["a": 1]])
    }

    func testJSONRoundTrip() throws {
        let text = #"{"a":[1,-2.5e3,true,false,null,"x\"y\\z\n\u00e9\ud83d\ude00"],"b":{}}"#
        let v = try JSONValue(parsing: text)
        XCTAssertEqual(v["a"]?[5], "x\"y\\z\né😀")
        XCTAssertEqual(try JSONValue(parsing: v.jsonString()), v)
        XCTAssertEqual(try JSONValue(parsing: v.jsonString(pretty: true)), v)
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "tru", "1 2"] {
            XCTAssertThrowsError(try JSONValue(parsing: bad), bad)
        }
    }
}
