import Foundation
import KubeClient
import KubeSim
import XCTest
import ObjectModel

/// `KubeClient.portForwardGet`: many GETs, each through a tunnel of its own, driven together on
/// the calling thread; each result as the single tunnel's `httpGet` would have it.
final class PortForwardBatchTests: XCTestCase {
    var web: TCPTestServer!
    var h: ClusterHarness!

    override func setUpWithError() throws {
        // An HTTP server with one answer per framing: Content-Length, chunked, until close.
        web = try TCPTestServer { fd in
            guard let head = TCPTestServer.readRequestHead(fd) else { return }
            let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            let big = Array(String(repeating: "0123456789abcdef", count: 20_000).utf8)
            switch path {
            case "/length":
                TCPTestServer.sendAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: \(big.count)\r\n\r\n".utf8) + big)
            case "/chunked":
                var out = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                for part in ["hello ", "chunked ", "world"] { out += Array("\(String(part.utf8.count, radix: 16))\r\n\(part)\r\n".utf8) }
                out += Array("0\r\n\r\n".utf8)
                TCPTestServer.sendAll(fd, out)
            case "/close":
                TCPTestServer.sendAll(fd, Array("HTTP/1.1 404 Not Found\r\n\r\nno such page".utf8))
            default:
                TCPTestServer.sendAll(fd, Array("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n".utf8))
            }
        }
        let port = web.port
        h = try ClusterHarness { $0.forwards = ["demo/web-*:8080=127.0.0.1:\(port)"] }
        try h.createNamespace("demo")
        for pod in ["web-1", "web-2", "web-3"] { try ProxyGetCommandTests.createPod(h, pod, namespace: "demo") }
    }

    override func tearDown() {
        h = nil
        web = nil
    }

    func client() throws -> KubeClient {
        var options = ClientOptions()
        options.kubeconfig = h.kubeconfig
        return try KubeClient(options: options)
    }

    func get(_ pod: String, _ target: String, port: Int = 8080, limit: Int = 1 << 20) -> PortForwardGet {
        PortForwardGet(namespace: "demo", pod: pod, port: port, target: target, host: "localhost:\(port)", limit: limit)
    }

    /// What the single tunnel reads for the same GET.
    func single(_ c: KubeClient, _ g: PortForwardGet) throws -> PortForwardAnswer {
        let tunnel = try c.portForward(namespace: g.namespace, pod: g.pod, port: g.port)
        defer { tunnel.close() }
        var answer = PortForwardAnswer(status: 0, statusLine: "", body: [])
        try tunnel.httpGet(g.target, host: g.host,
                           head: { answer.status = $0.status; answer.statusLine = $0.statusLine },
                           body: { answer.body += $0 })
        return answer
    }

    func testEveryFramingAndFailureInOneBatchInOrder() throws {
        let c = try client()
        let gets = [
            get("web-1", "/length"), get("web-2", "/chunked"), get("web-3", "/close"),
            get("web-1", "/length", limit: 1000), get("web-2", "/x", port: 9999), get("nope", "/length"),
            get("web-3", "/length", port: 0), get("web-3", "/other"),
        ]
        let results = c.portForwardGet(gets, maxInFlight: 3)
        XCTAssertEqual(results.count, gets.count)
        func answer(_ i: Int) -> PortForwardAnswer? { if case .success(let a) = results[i] { return a } else { return nil } }

        XCTAssertEqual(answer(0)?.status, 200)
        XCTAssertEqual(answer(0)?.body.count, 320_000)
        XCTAssertEqual(answer(1).map { String(decoding: $0.body, as: UTF8.self) }, "hello chunked world")
        XCTAssertEqual(answer(2)?.statusLine, "HTTP/1.1 404 Not Found")
        XCTAssertEqual(answer(2).map { String(decoding: $0.body, as: UTF8.self) }, "no such page")
        for i in [0, 1, 2, 7] {
            XCTAssertEqual(answer(i), try single(c, gets[i]), "batch and single tunnel agree on \(gets[i].target)")
        }
        guard case .failure(.tooLarge(let limit)) = results[3] else { return XCTFail("\(results[3])") }
        XCTAssertEqual(limit, 1000)
        guard case .failure(.http(.forwarding(let text))) = results[4] else { return XCTFail("\(results[4])") }
        XCTAssertTrue(text.hasPrefix("error forwarding port 9999 to pod "), text)
        guard case .failure(.portForward(let missing)) = results[5] else { return XCTFail("\(results[5])") }
        XCTAssertEqual(missing.code, 404)
        XCTAssertTrue(missing.message.contains("\"nope\" not found"), missing.message)
        guard case .failure(.portForward(let invalid)) = results[6] else { return XCTFail("\(results[6])") }
        XCTAssertEqual(invalid.message, "port 0 is not a valid port number (1-65535)")
        XCTAssertEqual(answer(7)?.statusLine, "HTTP/1.1 500 Oops")

        // Each tunnel had an upgrade of its own.
        let upgrades = h.sim.requestLog.filter { $0.path.hasSuffix("/portforward") && $0.status == 101 }
        XCTAssertEqual(upgrades.count, 6 + 4, "six in the batch (the missing pod's is refused, port 0's never sent), four single tunnels")
    }

    func testUnreachableServerFailsEveryGet() throws {
        let c = try client()
        h.sim.stop()
        let results = c.portForwardGet([get("web-1", "/length"), get("web-2", "/chunked")])
        XCTAssertEqual(results.count, 2)
        for r in results {
            guard case .failure(.portForward(let e)) = r else { return XCTFail("\(r)") }
            XCTAssertEqual(e.kind, .connection, e.message)
        }
    }
}
