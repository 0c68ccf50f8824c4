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
