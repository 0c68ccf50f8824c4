import Foundation
import XCTest

/// What osm puts in a request or a log: a namespace that would change a request's path is
/// refused before any request; a Vault token read back from the cluster is masked in `-v` logs.
final class RequestSafetyTests: XCTestCase {
    static let commands: [[String]] = [
        ["install"],
        ["mesh", "upgrade"],
        ["mesh", "uninstall", "-f"],
        ["verify", "control-plane"],
        ["verify", "connectivity", "--from-pod", "curl/curl-1", "--to-ext-host", "httpbin.org", "--to-ext-port", "443", "--app-protocol", "https"],
        ["policy", "check-pods", "a/b", "c/d"],
        ["dashboard", "--open-browser=false"],
    ]

    func testAnOSMNamespaceThatIsNoNamespaceIsRefusedBeforeAnyRequest() throws {
        let s = try HostileServer(.record)
        let cases: [(String, String)] = [
            ("../kube-system", "Error: invalid namespace \"../kube-system\": [may not contain '/']\n"),
            ("..", "Error: invalid namespace \"..\": [may not be '..']\n"),
            ("a%2Fb/c", "Error: invalid namespace \"a%2Fb/c\": [may not contain '/' may not contain '%']\n"),
            ("Kube\r\nSystem", "Error: invalid namespace name \"Kube\\r\\nSystem\": a namespace name must be at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit\n"),
        ]
        for args in Self.commands {
            for (ns, want) in cases {
                let r = try s.osm(args + ["--osm-namespace", ns])
                XCTAssertEqual(r.status, 1, "\(args) \(ns)")
                XCTAssertEqual(r.stderr, want, "\(args)")
            }
        }
        let fromEnvironment = try OSMBinary.run(["verify", "control-plane"], kubeconfig: try s.writeKubeconfig(), home: s.dir,
                                                env: ["OSM_NAMESPACE": "../kube-system"])
        XCTAssertEqual(fromEnvironment.stderr, "Error: invalid namespace \"../kube-system\": [may not contain '/']\n")
        XCTAssertEqual(s.requests.count, 0, "\(s.requests)")
    }

    func testAPodOrNamespaceThatWouldChangeThePathIsRefusedBeforeAnyRequest() throws {
        let s = try HostileServer(.record)
        let pod = try s.osm(["proxy", "get", "config_dump", "../../namespaces/kube-system/pods/x"])
        XCTAssertEqual(pod.status, 1)
        XCTAssertEqual(pod.stderr, "Error: Could not find pod ../../namespaces/kube-system/pods/x in namespace default: invalid resource name \"../../namespaces/kube-system/pods/x\": [may not contain '/']\n")
        let ns = try s.osm(["proxy", "get", "config_dump", "p", "-n", ".."])
        XCTAssertEqual(ns.stderr, "Error: Could not find pod p in namespace ..: invalid namespace \"..\": [may not be '..']\n")
        let add = try s.osm(["namespace", "add", "../kube-system"])
        XCTAssertEqual(add.stderr, "Error: Could not add namespace [../kube-system] to mesh [osm]: invalid namespace \"../kube-system\": [may not contain '/']\n")
        XCTAssertEqual(s.requests.count, 0, "\(s.requests)")
    }

    func testAVaultTokenReadBackIsMaskedInEveryCommandsLog() throws {
        let h = try ClusterHarness()
        let token = "vault-s3cr3t-token"
        let install = try h.osm(["install", "--certificate-manager", "vault", "--vault-host", "vault.example", "--vault-token", token])
        XCTAssertEqual(install.status, 0, install.stderr)
        let commands = [["mesh", "list"], ["mesh", "upgrade"], ["verify", "control-plane"], ["mesh", "uninstall", "-f"]]
        for args in commands {
            for level in args.contains("uninstall") ? ["10"] : ["9", "10"] {
                let r = try h.osm(args + ["-v", level])
                let out = r.stdout + r.stderr
                XCTAssertFalse(out.contains(token), "\(args) -v \(level): \(out.components(separatedBy: token).count - 1) copies")
                XCTAssertTrue(out.contains("Response Body: "), "\(args) -v \(level) logs bodies")
                if level == "10" {
                    XCTAssertTrue(out.contains("\"--vault-token\",\"<masked>\""), "\(args): the controller's args were logged, masked")
                }
            }
        }
        XCTAssertTrue(h.meshObjects().isEmpty, "uninstalled")
    }
}
