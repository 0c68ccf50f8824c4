import Foundation
import KubeClient
import KubeSim
import XCTest
import ObjectModel

/// kube-sim's `pods/portforward` and KubeClient's tunnel, each also judged against a client or
/// server nobody here wrote (the official Python client; a plain TCP echo server).
final class PortForwardTests: XCTestCase {
    static let token = "pf-token-\(UUID().uuidString)"
    var echo: TCPTestServer!
    var h: ClusterHarness!

    override func setUpWithError() throws {
        // Answers each read with "echo:" and the bytes read, until the peer closes.
        echo = try TCPTestServer { fd in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { return }
                guard TCPTestServer.sendAll(fd, Array("echo:".utf8) + buffer[..<n]) else { return }
            }
        }
        let port = echo.port
        h = try ClusterHarness {
            $0.forwards = ["demo/web-*:8080=127.0.0.1:\(port)", "demo/exact:9090=127.0.0.1:\(port)"]
            $0.adminToken = Self.token
        }
        try h.createNamespace("demo")
        for pod in ["web-1", "exact", "web-2"] { try ProxyGetCommandTests.createPod(h, pod, namespace: "demo") }
    }

    override func tearDown() {
        h = nil
        echo = nil
    }

    func client() throws -> KubeClient {
        var options = ClientOptions()
        options.kubeconfig = h.kubeconfig
        return try KubeClient(options: options)
    }

    /// Reads until `count` bytes of echo payload ("echo:" prefixes removed) arrived.
    func readEcho(_ tunnel: PortForwardTunnel, count: Int) throws -> [UInt8] {
        var raw: [UInt8] = []
        var payload: [UInt8] = []
        while payload.count < count, let chunk = try tunnel.read() {
            raw += chunk
            payload = Array(String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "echo:", with: "").utf8)
        }
        return payload
    }

    func testTunnelCarriesBytesBothWays() throws {
        let c = try client()
        for (pod, port) in [("web-1", 8080), ("exact", 9090)] {
            let tunnel = try c.portForward(namespace: "demo", pod: pod, port: port)
            let message = Array(String(repeating: "0123456789abcdef", count: 20_000).utf8)  // 320 KB: many frames
            try tunnel.write(message)
            XCTAssertEqual(try readEcho(tunnel, count: message.count), message, pod)
            try tunnel.write(Array("second".utf8))
            XCTAssertEqual(try readEcho(tunnel, count: 6), Array("second".utf8))
            XCTAssertEqual(tunnel.errorText, "")
            tunnel.close()
        }
    }

    func testUnmappedPortGetsTheKubeletsErrorAndMissingPodA404() throws {
        let c = try client()
        let tunnel = try c.portForward(namespace: "demo", pod: "web-1", port: 9999)
        XCTAssertNil(try tunnel.read(), "the tunnel ends")
        let uid = try c.get(.pods, namespace: "demo", name: "web-1")[path: "metadata", "uid"]?.stringValue ?? "?"
        XCTAssertTrue(tunnel.errorText.hasPrefix("error forwarding port 9999 to pod "), tunnel.errorText)
        XCTAssertTrue(tunnel.errorText.contains("network namespace \"/var/run/netns/cni-\(uid)\""), tunnel.errorText)
        XCTAssertTrue(tunnel.errorText.hasSuffix("IPv4: dial tcp4 127.0.0.1:9999: connect: connection refused IPv6 dial tcp6 [::1]:9999: connect: connection refused"))
        XCTAssertFalse(tunnel.lostConnection, "the server closed the WebSocket properly")

        XCTAssertThrowsError(try c.portForward(namespace: "demo", pod: "nope", port: 8080)) { error in
            let e = error as? KubeError
            XCTAssertEqual(e?.kind, .notFound)
            XCTAssertEqual(e?.message, "pods \"nope\" not found")
        }
        // The refused upgrade is logged like any request; the accepted ones as 101.
        let log = h.sim.requestLog.filter { $0.path.hasSuffix("/portforward") }
        XCTAssertEqual(log.map(\.status), [101, 404])
    }

    func testCredentialsAreTheClientsOwnAndNeverLogged() throws {
        func kubeconfig(_ name: String, user: String) throws -> String {
            let path = h.dir.appendingPathComponent(name).path
            try """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sim
                  cluster: {server: "\(h.sim.url)", certificate-authority-data: \(Data(h.sim.caPEM.utf8).base64EncodedString())}
                users:
                - name: someone
                  user: \(user)
                contexts:
                - name: sim
                  context: {cluster: sim, user: someone}
                current-context: sim
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        // A bearer token goes with the upgrade, and the -v log masks it.
        let tokenConfig = try kubeconfig("token", user: "{token: \(Self.token)}")
        final class Lines: @unchecked Sendable { var all: [String] = []; let lock = NSLock() }
        let lines = Lines()
        var options = ClientOptions()
        options.kubeconfig = tokenConfig
        options.verbosity = 9
        options.logSink = { line in lines.lock.withLock { lines.all.append(line) } }
        let tunnel = try KubeClient(options: options).portForward(namespace: "demo", pod: "web-1", port: 8080)
        try tunnel.write(Array("hi".utf8))
        XCTAssertEqual(try readEcho(tunnel, count: 2), Array("hi".utf8))
        tunnel.close()
        let log = lines.lock.withLock { lines.all.joined(separator: "\n") }
        XCTAssertTrue(log.contains("Authorization: Bearer <masked>"), log)
        XCTAssertTrue(log.contains("portforward?ports=8080 101 Switching Protocols"), log)
        XCTAssertFalse(log.contains(Self.token))
        XCTAssertEqual(h.sim.requestLog.last { $0.path.hasSuffix("/portforward") }?.user, "admin")

        // Without credentials the request is system:anonymous, which RBAC refuses (403) before the upgrade, as on a real cluster.
        let anonymous = try kubeconfig("anonymous", user: "{}")
        options = ClientOptions()
        options.kubeconfig = anonymous
        XCTAssertThrowsError(try KubeClient(options: options).portForward(namespace: "demo", pod: "web-1", port: 8080)) { error in
            XCTAssertEqual((error as? KubeError)?.kind, .forbidden, "\(error)")
            XCTAssertTrue("\(error)".contains("User \"system:anonymous\" cannot get resource \"pods/portforward\""), "\(error)")
        }
    }

    /// The official Python client (`kubernetes.stream.portforward`) through kube-sim, both ways.
    func testOfficialPythonClientExchangesBytes() throws {
        let python = try Tools.python(importing: "kubernetes.stream")
        let script = """
            import sys
            from kubernetes import client, config
            from kubernetes.client.rest import ApiException
            from kubernetes.stream import portforward
            config.load_kube_config()
            api = client.CoreV1Api()
            pf = portforward(api.connect_get_namespaced_pod_portforward, "web-2", "demo", ports="8080")
            s = pf.socket(8080)
            s.setblocking(True)
            message = b"from-python-" * 5000
            s.sendall(message)
            got = b""
            while got.replace(b"echo:", b"") != message:
                d = s.recv(65536)
                if not d:
                    break
                got += d
            print("echoed", len(got.replace(b"echo:", b"")), got.replace(b"echo:", b"") == message)
            s.close()
            pf = portforward(api.connect_get_namespaced_pod_portforward, "web-2", "demo", ports="7777")
            s = pf.socket(7777)
            s.setblocking(True)
            while s.recv(1024):
                pass
            print("error", pf.error(7777))
            try:
                portforward(api.connect_get_namespaced_pod_portforward, "missing", "demo", ports="8080")
                print("missing: no error")
            except ApiException as e:
                print("missing:", e.reason)
            """
        let r = try ProcessRunner.run(python, ["-c", script],
                                      environment: ["KUBECONFIG": h.kubeconfig, "HOME": h.dir.path, "PATH": "/usr/bin:/bin"],
                                      in: h.dir, timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "echoed 60000 True", r.stdout + r.stderr)
        XCTAssertTrue(lines.count > 1 && lines[1].hasPrefix("error error forwarding port 7777 to pod ") && lines[1].hasSuffix("connection refused"), r.stdout)
        XCTAssertTrue(lines.count > 2 && lines[2].contains("404"), r.stdout)
    }
}
