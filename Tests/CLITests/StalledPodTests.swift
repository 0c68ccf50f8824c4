import Foundation
import XCTest

/// Once a tunnel is open, the request timeout bounds the wait for a pod's answer to start and
/// any stall of that long in the middle; an answer that keeps flowing is never cut short.
final class StalledPodTests: XCTestCase {
    /// What a pod's admin port does with each connection, after reading the request's head.
    final class Pod: @unchecked Sendable {
        private let lock = NSLock()
        private var behaviour: @Sendable (Int32) -> Void = { _ in }
        private var server: TCPTestServer!
        var port: Int { server.port }

        init() throws {
            server = try TCPTestServer { [unowned self] fd in
                guard TCPTestServer.readRequestHead(fd) != nil else { return }
                lock.withLock { behaviour }(fd)
            }
        }

        deinit { server.stop() }

        func behave(_ f: @escaping @Sendable (Int32) -> Void) { lock.withLock { behaviour = f } }

        /// Waits for the client to go away, answering nothing more.
        static func waitForClose(_ fd: Int32) {
            var byte: UInt8 = 0
            while recv(fd, &byte, 1, 0) > 0 {}
        }
    }

    var pod: Pod!
    var h: ClusterHarness!

    override func setUpWithError() throws {
        pod = try Pod()
        h = try ProxyGetCommandTests.harness(withPodIn: "stuck", adminAt: pod.port)
    }

    override func tearDown() {
        h = nil
        pod = nil
    }

    private let prefix = "Error: Error retrieving proxy config for pod stuck-1 in namespace stuck: "

    func testProxyGetEndsWhenThePodNeverAnswers() throws {
        pod.behave { Pod.waitForClose($0) }
        let r = try h.osm(["proxy", "get", "config_dump", "stuck-1", "-n", "stuck", "--request-timeout", "2s"], timeout: 60)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, prefix + "no answer from pod stuck-1 in namespace stuck on port 15000 for 2s (the request timeout; see --request-timeout)\n")
    }

    func testProxyGetEndsWhenTheAnswerStalls() throws {
        pod.behave { fd in
            TCPTestServer.sendAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf".utf8))
            Pod.waitForClose(fd)
        }
        let r = try h.osm(["proxy", "get", "config_dump", "stuck-1", "-n", "stuck", "--request-timeout", "2s"], timeout: 60)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, prefix + "the answer from pod stuck-1 in namespace stuck on port 15000 stalled for 2s (the request timeout; see --request-timeout)\n")
    }

    func testAnAnswerThatKeepsFlowingIsNotCutShort() throws {
        // Six bytes, one every half second: three seconds in all, never silent for the two allowed.
        pod.behave { fd in
            TCPTestServer.sendAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n".utf8))
            for b in "abcdef".utf8 {
                usleep(500_000)
                TCPTestServer.sendAll(fd, [b])
            }
            Pod.waitForClose(fd)
        }
        let r = try h.osm(["proxy", "get", "config_dump", "stuck-1", "-n", "stuck", "--request-timeout", "2s"], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "abcdef")
    }

    func testVerifyConnectivityEndsWhenThePodNeverAnswers() throws {
        XCTAssertEqual(try h.osm(["install", "--enable-egress"]).status, 0)
        XCTAssertEqual(try h.osm(["namespace", "add", "stuck"]).status, 0)
        pod.behave { Pod.waitForClose($0) }
        let r = try h.osm(["verify", "connectivity", "--from-pod", "stuck/stuck-1", "--to-ext-host", "httpbin.org", "--to-ext-port", "443",
                           "--app-protocol", "https", "--request-timeout", "2s"], timeout: 60)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("\nReason: Could not read the sidecar's config: reading Envoy's /config_dump through the tunnel: no answer from pod stuck-1 in namespace stuck on port 15000 for 2s (the request timeout; see --request-timeout)\n"), r.stdout + r.stderr)
    }
}

/// Answers kept in memory are bounded for the command as a whole, not only one by one.
final class CommandBudgetTests: XCTestCase {
    func testVerifyFromANamespaceOfSidecarsAnsweringHugeBodiesStopsAtTheCommandsBudget() throws {
        // Each answer is under the 256 MiB one answer may have; three of 150 MiB pass the 384 MiB a command may keep.
        let pod = try StalledPodTests.Pod()
        pod.behave { fd in
            let size = 150 << 20
            guard TCPTestServer.sendAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n".utf8)) else { return }
            let block = [UInt8](repeating: 0x20, count: 1 << 20)
            for _ in 0..<(size >> 20) where TCPTestServer.sendAll(fd, block) {}
        }
        let port = pod.port
        let h = try ClusterHarness { $0.forwards = ["big/big-*:15000=127.0.0.1:\(port)"] }
        try h.createNamespace("big")
        for i in 1...3 { try ProxyGetCommandTests.createPod(h, "big-\(i)", namespace: "big") }
        XCTAssertEqual(try h.osm(["install", "--enable-egress"]).status, 0)
        XCTAssertEqual(try h.osm(["namespace", "add", "big"]).status, 0)
        let r = try h.osm(["verify", "connectivity", "--from-namespace", "big", "--to-ext-host", "httpbin.org", "--to-ext-port", "443",
                           "--app-protocol", "https"], timeout: 300)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("are larger than 384 MiB in all"), r.stdout + r.stderr)
    }
}
