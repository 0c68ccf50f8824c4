import Foundation
import KubeSim
import XCTest
import ObjectModel

/// Issue 12: bad answers are errors, every command is bounded, credentials never leak, bad
/// kubeconfig files and flags are reported as such. Run against kube-sim with faults, and
/// against a hostile server (HostileServer) for what kube-sim will not do.
final class FailureAnswerTests: XCTestCase {
    // MARK: bad answers

    func testEmptyBodiesAndWrongShapesAreErrors() throws {
        let cases: [(HostileServer.Mode, [String], String)] = [
            (.empty200, ["namespace", "add", "x"], "an empty body"),
            (.empty200, ["mesh", "upgrade", "--enable-egress=false"], "an empty body"),
            (.itemsDict, ["namespace", "list"], "\"items\" is an object, not a list"),
            (.itemsDict, ["mesh", "list"], "\"items\" is an object, not a list"),
            (.wrongShape, ["namespace", "add", "x"], "a list where an object was expected"),
        ]
        for (mode, args, why) in cases {
            let s = try HostileServer(mode)
            let r = try s.osm(args)
            XCTAssertEqual(r.status, 1, "\(mode) \(args): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("Error: "), r.stderr)
            XCTAssertTrue(r.stderr.contains("unexpected answer from the API server to GET \(s.url)/"), "\(mode) \(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(why), "\(mode) \(args): \(r.stderr)")
            XCTAssertFalse(r.stdout.contains("successfully"), r.stdout)
        }
    }

    func testAnEndlessBodyIsCutOffAndReported() throws {
        let s = try HostileServer(.endless)
        let r = try s.osm(["namespace", "list"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("Error: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("unexpected answer from the API server to GET"), r.stderr)
        XCTAssertTrue(r.stderr.contains("larger than 256 MiB"), r.stderr)
    }

    func testInstallAgainstEndlessBodiesStopsAtTheCommandsBudget() throws {
        // install reads in batches: each answer under 256 MiB, together past the command's 384 MiB.
        let s = try HostileServer(.endless)
        let r = try s.osm(["install"], timeout: 300)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("Error: the API server's answers to this command are larger than 384 MiB in all (at GET \(s.url)/"), r.stderr)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
    }

    func testMeshListAsksForControllerPodsOncePerNamespace() throws {
        let h = try ClusterHarness()
        try h.createNamespace("crowd")
        try h.createNamespace("other")
        for i in 0..<600 {
            try h.sim.put(["apiVersion": "apps/v1", "kind": "Deployment",
                           "metadata": ["name": .string("c\(i)"), "namespace": "crowd", "labels": ["app": "osm-controller", "meshName": .string("m\(i)")]],
                           "spec": ["selector": ["matchLabels": ["x": "y"]], "template": ["metadata": ["labels": ["x": "y"]], "spec": ["containers": []]]]])
        }
        try h.sim.put(["apiVersion": "apps/v1", "kind": "Deployment",
                       "metadata": ["name": "c", "namespace": "other", "labels": ["app": "osm-controller", "meshName": "solo"]],
                       "spec": ["selector": ["matchLabels": ["x": "y"]], "template": ["metadata": ["labels": ["x": "y"]], "spec": ["containers": []]]]])
        h.sim.clearRequestLog()
        let r = try h.osm(["mesh", "list", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try JSONValue(parsing: Array(r.stdout.utf8)).arrayValue?.count, 601)
        let podLists = h.sim.requestLog.filter { $0.path.hasSuffix("/pods") }.map(\.path)
        XCTAssertEqual(podLists.sorted(), ["/api/v1/namespaces/crowd/pods", "/api/v1/namespaces/other/pods"])
    }

    func testAWriteWhoseAnswerTimedOutSaysItMayHaveLanded() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        try h.sim.put(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "app"]])
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/namespaces/app$", delayMs: 3000)])
        let r = try h.osm(["namespace", "add", "app", "--request-timeout", "1s"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("may have applied the change"), r.stderr)
        XCTAssertTrue(r.stderr.contains("kubectl get namespaces app -o yaml"), r.stderr)
        XCTAssertFalse(r.stderr.contains("raise --request-timeout"), r.stderr)
        XCTAssertEqual(h.namespace("app")?[path: "metadata", "labels", "openservicemesh.io/monitored-by"], "osm", "the PATCH did land")
    }

    /// `mesh upgrade` reads osm-config back after its patch's answer timed out: the change
    /// landed, so the Helm record moves on with it (issue 25).
    func testAnUpgradeWhoseConfigPatchTimedOutReadsItBack() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/configmaps/osm-config$", delayMs: 3000)])
        let r = try h.osm(["mesh", "upgrade", "--enable-egress=true", "--request-timeout", "1s"])
        h.sim.setFaults([])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true", "the PATCH did land")
        let deployed = h.helmReleaseSecrets().filter { $0[path: "metadata", "labels", "status"] == "deployed" }
        XCTAssertEqual(deployed.compactMap { $0[path: "metadata", "labels", "version"]?.stringValue }, ["2"])
    }

    func testEveryCommandIsBoundedOnAServerThatNeverAnswers() throws {
        let s = try HostileServer(.hang)
        // The default, as --help states it: no --request-timeout given.
        let help = try OSMBinary.run(["mesh", "upgrade", "--help"], kubeconfig: "/nonexistent", home: s.dir)
        XCTAssertTrue(HelpText(help.stdout).text(for: "--request-timeout")?.contains("default: 30s") == true, help.stdout)
        let upgrade = try s.osm(["mesh", "upgrade", "--enable-egress=false"], timeout: 90)
        XCTAssertEqual(upgrade.status, 1)
        XCTAssertTrue(upgrade.stderr.contains("timed out after 30s"), upgrade.stderr)
        for args in [["namespace", "add", "x"], ["namespace", "list"], ["mesh", "list"], ["mesh", "uninstall", "-f"]] {
            let r = try s.osm(args + ["--request-timeout", "1s"], timeout: 60)
            XCTAssertEqual(r.status, 1, "\(args)")
            XCTAssertTrue(r.stderr.contains("1s"), "\(args): \(r.stderr)")
        }
    }

    func testALongRetryAfterIsAnnouncedBeforeWaiting() throws {
        let h = try ClusterHarness()
        h.sim.setFaults([FaultRule(method: "GET", path: "^/api/v1/namespaces$", count: 1, status: 429, retryAfter: 2)])
        let r = try h.osm(["namespace", "list"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let notices = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Notice:") }
        XCTAssertEqual(notices.count, 1, r.stderr)
        XCTAssertTrue(notices.first?.contains("429 Too Many Requests") == true && notices.first?.contains("2s") == true, r.stderr)
    }

    func testServerMessagesAreEscapedAndStayOnOneLine() throws {
        let h = try ClusterHarness()
        try h.createNamespace("x")
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/namespaces/x$", status: 422,
                                   message: "bad \u{1B}]0;owned\u{07}\u{1B}[2J\rvalue\nsecond line")])
        let r = try h.osm(["namespace", "add", "x"])
        XCTAssertNotEqual(r.status, 0)
        for text in [r.stdout, r.stderr] {
            XCTAssertFalse(text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\r" }, text.debugDescription)
        }
        let all = r.stdout + r.stderr
        XCTAssertTrue(all.contains(#"bad \e]0;owned\a\e[2J\rvalue\nsecond line"#), all.debugDescription)
        XCTAssertEqual(all.split(separator: "\n").filter { $0.contains("second line") }.count, 1, all)
    }

    // MARK: credentials

    func testCredentialsAreNeverSentOverPlainHTTP() throws {
        let s = try HostileServer(.record)
        for user in [["token: s3cr3t-bearer-token"], ["username: admin", "password: s3cr3t-password"]] {
            let r = try s.osm(["namespace", "list"], user: user)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("Error: refusing to send the "), r.stderr)
            XCTAssertTrue(r.stderr.contains(s.url) && r.stderr.contains("\"hostile-user\"") && r.stderr.contains("hostile-cluster"), r.stderr)
            XCTAssertTrue(r.stderr.contains(s.dir.appendingPathComponent("kubeconfig").path), r.stderr)
        }
        XCTAssertEqual(s.requests.count, 0, "\(s.requests)")
        // Without credentials, plain http is allowed (kubectl allows it too).
        XCTAssertEqual(try s.osm(["namespace", "list"]).status, 0)
        XCTAssertEqual(s.requests.count, 1)
    }

    func testAuthorizationEchoedByTheServerIsMasked() throws {
        let s = try HostileServer(.echoAuth, tls: true)
        for user in [["token: s3cr3t-bearer-token"], ["username: admin", "password: s3cr3t-password"]] {
            let r = try s.osm(["namespace", "list"], user: user)
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderr.contains("Authorization: "), "the echo is shown: \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("s3cr3t"), r.stderr)
            XCTAssertFalse(r.stderr.contains("YWRtaW46czNjcjN0LXBhc3N3b3Jk"), "base64 of admin:s3cr3t-password: \(r.stderr)")
        }
        XCTAssertEqual(s.requests.compactMap { $0[path: "headers", "Authorization"]?.stringValue }.count, 2, "the credentials were sent, over TLS")
    }

    func testVaultTokenIsMaskedAtEveryVerbosity() throws {
        let h = try ClusterHarness()
        for (i, level) in ["6", "8", "9", "10"].enumerated() {
            let token = "vault-s3cr3t-token"
            let r = try h.osm(["install", "--mesh-name", "v\(i)", "--osm-namespace", "v\(i)", "--certificate-manager", "vault",
                               "--vault-host", "vault.example", "--vault-token", token, "-v", level])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse((r.stdout + r.stderr).contains(token), "-v \(level): \((r.stdout + r.stderr).components(separatedBy: token).count - 1) copies")
            if level == "9" || level == "10" { XCTAssertTrue(r.stderr.contains("<masked>"), "-v \(level)") }
        }
    }

    func execUser(_ s: HostileServer, script: String) throws -> [String] {
        let plugin = s.dir.appendingPathComponent("plugin.sh")
        try ("#!/bin/sh\n" + script + "\n").write(to: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin.path)
        return ["exec:", "  apiVersion: client.authentication.k8s.io/v1beta1", "  command: \(plugin.path)", "  interactiveMode: Never"]
    }

    func testExecPluginsThatHangOrFloodAreStopped() throws {
        let s = try HostileServer(.record, tls: true)
        let credential = #"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"tok-from-plugin"}}"#
        let hangs = try s.osm(["namespace", "list", "--request-timeout", "2s"], user: try execUser(s, script: "sleep 300"), timeout: 60)
        XCTAssertEqual(hangs.status, 1)
        XCTAssertTrue(hangs.stderr.contains("did not finish within 2s") && hangs.stderr.contains("was killed"), hangs.stderr)

        // Prints its credential, but leaves a child holding its output open.
        let holds = try s.osm(["namespace", "list", "--request-timeout", "2s"],
                              user: try execUser(s, script: "echo '\(credential)'\nsleep 300 &\nexit 0"), timeout: 60)
        XCTAssertEqual(holds.status, 1)
        XCTAssertTrue(holds.stderr.contains("did not finish within 2s"), holds.stderr)

        let floods = try s.osm(["namespace", "list"], user: try execUser(s, script: "head -c 40000000 /dev/zero | tr '\\000' a"), timeout: 60)
        XCTAssertEqual(floods.status, 1)
        XCTAssertTrue(floods.stderr.contains("printed more than 16 MiB"), floods.stderr)
        XCTAssertFalse(floods.stderr.contains("exit status 141"), floods.stderr)
        XCTAssertEqual(s.requests.count, 0)

        // A well-behaved plugin still works.
        let fine = try s.osm(["namespace", "list"], user: try execUser(s, script: "echo '\(credential)'"))
        XCTAssertEqual(fine.status, 0, fine.stderr)
        XCTAssertEqual(s.requests.last?[path: "headers", "Authorization"]?.stringValue, "Bearer tok-from-plugin")
    }

    // MARK: bad kubeconfig files and flags

    func testAHugeKubeconfigMappingIsReadInOnePass() throws {
        let s = try HostileServer(.record)
        var text = "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: \(s.url)\n"
        text += "contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user: {}\npreferences:\n"
        var lines: [String] = []
        lines.reserveCapacity(300_000)
        for i in 0..<300_000 { lines.append("  key\(i): value-\(i)-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") }
        text += lines.joined(separator: "\n") + "\n"
        XCTAssertGreaterThan(text.utf8.count, 25 << 20)
        let path = s.dir.appendingPathComponent("huge-kubeconfig").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        // A hang guard, not a timing assertion: before the fix this never finished.
        let r = try OSMBinary.run(["namespace", "list"], kubeconfig: path, home: s.dir, timeout: 100)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(s.requests.count, 1)
    }

    func testANegativeDurationAfterASpaceIsCalledNegative() throws {
        for args in [["install", "--timeout", "-1s"], ["namespace", "list", "--request-timeout", "-1s"]] {
            let r = try OSMBinary.run(args, kubeconfig: "/nonexistent", home: FileManager.default.temporaryDirectory)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("negative"), "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Missing value"), "\(args): \(r.stderr)")
        }
    }
}
