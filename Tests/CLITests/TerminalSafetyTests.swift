import Foundation
import XCTest
import KubeClient
import ObjectModel

/// Text from the cluster in osm's tables and verification output is shown with its control
/// characters escaped, so it can neither recolour, retitle nor redraw the terminal.
final class TerminalSafetyTests: XCTestCase {
    func testControlCharactersInListOutputAreEscaped() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        // A controller whose image tag (mesh list's VERSION) carries terminal controls.
        let controller = try XCTUnwrap(h.deployment("osm-controller", in: "osm-system"))
        let image = try XCTUnwrap(controller.templateContainers.first?.image)
        let text = controller.jsonString().replacingOccurrences(
            of: JSONValue.string(image).jsonString(), with: JSONValue.string(image + "\u{1B}]0;pwned\u{7}\r\n").jsonString())
        try h.sim.put(try JSONValue(parsing: Array(text.utf8)))

        let r = try h.osm(["mesh", "list", "-o", "wide"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\r" }, r.stdout)
        XCTAssertTrue(r.stdout.contains("\\e]0;pwned\\a\\r\\n"), r.stdout)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 2, "header and one row: \(r.stdout)")
    }

    func testAKubeconfigServerWithCRLFIsOneLineError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("osm-crlf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kubeconfig = dir.appendingPathComponent("config").path
        try """
            apiVersion: v1
            kind: Config
            current-context: x
            clusters:
            - name: c
              cluster: {server: "http://127.0.0.1:1\\r\\nX-Evil: 1"}
            contexts:
            - name: x
              context: {cluster: c}

            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        for args in [["mesh", "list"], ["proxy", "get", "config_dump", "p"], ["namespace", "list"]] {
            let r = try OSMBinary.run(args, kubeconfig: kubeconfig, home: dir)
            XCTAssertEqual(r.status, 1)
            XCTAssertEqual(r.stderr.filter { $0 == "\n" || $0 == "\r\n" }.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("Error: "), r.stderr)
            XCTAssertTrue(r.stderr.contains("http://127.0.0.1:1\\r\\nX-Evil: 1"), r.stderr)
        }
    }

    func testUserInputWithCRLFIsOneLineError() throws {
        let s = try HostileServer(.record)
        let bad = "a\r\nb"
        let cases: [([String], String)] = [
            (["proxy", "get", "config_dump", bad], "Error: Pod a\\r\\nb in namespace default is not a part of a mesh\n"),
            (["proxy", "get", "config_dump", "p", "--namespace=" + bad], "Error: Pod p in namespace a\\r\\nb is not a part of a mesh\n"),
            (["policy", "check-pods", "ns/" + bad, "ns/c"], "Error: Pod a\\r\\nb in namespace ns is not a part of a mesh\n"),
            (["namespace", "add", bad], "Error: Could not add namespace [a\\r\\nb] to mesh [osm]: "),
            (["mesh", "upgrade", "--mesh-name", bad], "Error: Invalid mesh-name [a\\r\\nb]"),
        ]
        for (args, start) in cases {
            let r = try s.osm(args)
            XCTAssertEqual(r.status, 1, "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix(start), r.stderr)
            XCTAssertEqual(r.stderr.filter { $0 == "\n" || $0 == "\r\n" }.count, 1, r.stderr)
            XCTAssertFalse(r.stderr.contains("\r"), r.stderr)
        }
    }
}

/// One User-Agent, set in one place (osm's client setup), for every request osm sends.
final class UserAgentTests: XCTestCase {
    func testEveryRequestCarriesOsmsOneUserAgent() throws {
        let s = try HostileServer(.record)
        _ = try s.osm(["namespace", "list"])
        _ = try s.osm(["mesh", "list"])
        let agents = Set(s.requests.compactMap { $0[path: "headers", "User-Agent"]?.stringValue })
        XCTAssertEqual(agents.count, 1, "\(agents)")
        let agent = try XCTUnwrap(agents.first)
        XCTAssertTrue(agent.hasPrefix("osm/"), agent)
        XCTAssertTrue(agent.hasSuffix(" (linux/amd64)") || agent.hasSuffix(" (linux/arm64)"), agent)
    }
}
