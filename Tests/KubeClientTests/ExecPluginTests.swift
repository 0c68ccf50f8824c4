import Foundation
import XCTest
@testable import KubeClient

final class ExecPluginTests: XCTestCase {
    private func config(_ s: Scratch, command: String, apiVersion: String = "client.authentication.k8s.io/v1",
                        mode: ExecConfig.InteractiveMode = .never, hint: String? = nil, clusterInfo: Bool = false) -> ExecConfig {
        ExecConfig(command: command, args: ["--out", s.path + "/info.json"], env: [("PLUGIN_GREETING", "hi")],
                   apiVersion: apiVersion, installHint: hint, provideClusterInfo: clusterInfo, interactiveMode: mode)
    }

    private func context(_ s: Scratch) -> ExecPlugin.Context {
        var cluster = ClientConfig(server: "https://k:6443", contextName: "ctx", clusterName: "c", userName: "alice", namespace: "default", source: "test")
        cluster.caPEM = Array("CA".utf8)
        return ExecPlugin.Context(userName: "alice", environment: ["PATH": s.path + "/bin:/usr/bin:/bin", "HOME": s.path],
                                  interactive: false, cluster: cluster)
    }

    /// A plugin that records its invocation and prints a credential.
    private func writePlugin(_ s: Scratch, name: String = "kube-login", status: String) {
        s.write("bin/\(name)", """
        #!/bin/sh
        echo run >> "\(s.path)/runs"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$2"
        printf '%s|%s' "$PLUGIN_GREETING" "$1" > "\(s.path)/env"
        cat <<JSON
        {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":\(status)}
        JSON
        """, mode: 0o755)
    }

    func testTokenFromPluginWithEnvArgsAndExecInfo() throws {
        let s = Scratch()
        writePlugin(s, status: #"{"token":"plugin-token-1"}"#)
        let c = config(s, command: "kube-login", clusterInfo: true)
        let cred = try ExecPlugin().credential(c, context(s))
        XCTAssertEqual(cred.token, "plugin-token-1")
        XCTAssertEqual(s.read("env"), "hi|--out")
        let info = try JSONSerialization.jsonObject(with: Data(s.read("info.json")!.utf8)) as! [String: Any]
        XCTAssertEqual(info["kind"] as? String, "ExecCredential")
        XCTAssertEqual(info["apiVersion"] as? String, "client.authentication.k8s.io/v1")
        let spec = info["spec"] as! [String: Any]
        XCTAssertEqual(spec["interactive"] as? Bool, false)
        let cluster = spec["cluster"] as! [String: Any]
        XCTAssertEqual(cluster["server"] as? String, "https://k:6443")
        XCTAssertEqual(cluster["certificate-authority-data"] as? String, Data("CA".utf8).base64EncodedString())
    }

    func testRunsOncePerProcessUntilExpiry() throws {
        let s = Scratch()
        writePlugin(s, status: #"{"token":"t","expirationTimestamp":"2999-01-01T00:00:00Z"}"#)
        let plugin = ExecPlugin()
        let c = config(s, command: "kube-login")
        for _ in 0..<3 { _ = try plugin.credential(c, context(s)) }
        XCTAssertEqual(s.read("runs")?.split(separator: "\n").count, 1)
        plugin.invalidate(c)
        _ = try plugin.credential(c, context(s))
        XCTAssertEqual(s.read("runs")?.split(separator: "\n").count, 2)

        // An expired credential is fetched again on every use.
        let t = Scratch()
        writePlugin(t, status: #"{"token":"t","expirationTimestamp":"2000-01-01T00:00:00Z"}"#)
        let d = config(t, command: "kube-login")
        for _ in 0..<2 { _ = try plugin.credential(d, context(t)) }
        XCTAssertEqual(t.read("runs")?.split(separator: "\n").count, 2)
    }

    func testClientCertificateFromPlugin() throws {
        let s = Scratch()
        writePlugin(s, status: #"{"clientCertificateData":"-----BEGIN CERTIFICATE-----\nX\n","clientKeyData":"-----BEGIN PRIVATE KEY-----\nY\n"}"#)
        let cred = try ExecPlugin().credential(config(s, command: "kube-login"), context(s))
        XCTAssertNil(cred.token)
        XCTAssertEqual(cred.clientCertificatePEM.map { String(decoding: $0, as: UTF8.self) }, "-----BEGIN CERTIFICATE-----\nX\n")
    }

    func testMissingPluginPrintsInstallHint() {
        let s = Scratch()
        let c = config(s, command: "no-such-plugin", hint: "Install it with:\n  brew install no-such-plugin\n")
        XCTAssertThrowsKubeError(try ExecPlugin().credential(c, context(s)), kind: .credentials,
                                 contains: ["no-such-plugin", "alice", "brew install no-such-plugin"])
    }

    func testFailingAndGarbledPlugins() {
        let s = Scratch()
        s.write("bin/fails", "#!/bin/sh\necho oops >&2\nexit 3\n", mode: 0o755)
        XCTAssertThrowsKubeError(try ExecPlugin().credential(config(s, command: "fails"), context(s)), kind: .credentials,
                                 contains: ["exit status 3"])
        s.write("bin/garbled", "#!/bin/sh\necho not json\n", mode: 0o755)
        XCTAssertThrowsKubeError(try ExecPlugin().credential(config(s, command: "garbled"), context(s)), kind: .credentials,
                                 contains: ["ExecCredential"])
        writePlugin(s, name: "wrongversion", status: #"{"token":"x"}"#)
        XCTAssertThrowsKubeError(try ExecPlugin().credential(config(s, command: "wrongversion", apiVersion: "client.authentication.k8s.io/v1beta1"), context(s)),
                                 kind: .credentials, contains: ["apiVersion"])
        writePlugin(s, name: "empty", status: #"{}"#)
        XCTAssertThrowsKubeError(try ExecPlugin().credential(config(s, command: "empty"), context(s)), kind: .credentials,
                                 contains: ["neither a token nor a client certificate"])
    }

    func testInteractiveAlwaysNeedsATerminal() {
        let s = Scratch()
        writePlugin(s, status: #"{"token":"t"}"#)
        XCTAssertThrowsKubeError(try ExecPlugin().credential(config(s, command: "kube-login", mode: .always), context(s)),
                                 kind: .credentials, contains: ["interactive"])
        XCTAssertNil(s.read("runs"), "the plugin must not run at all")
    }
}
