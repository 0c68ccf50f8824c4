import Foundation
import XCTest

/// `osm proxy get` and `osm verify connectivity` against a pod's port (or an API server) that
/// answers with bytes no real Envoy would send: one-line errors, exit 1, never a trap; and a
/// query that would split the request line is never sent raw.
final class HostileTunnelTests: XCTestCase {
    /// A pod's admin port: each connection's bytes are recorded (to its end) and answered by `answer`.
    final class Admin: @unchecked Sendable {
        final class State: @unchecked Sendable {
            let lock = NSLock()
            var answer: @Sendable (String) -> [UInt8] = { _ in [] }
            var received: [String] = []
        }
        let state = State()
        private var server: TCPTestServer!
        var port: Int { server.port }
        var connections: Int { server.connections }

        init() throws {
            let state = state
            server = try TCPTestServer { fd in
                guard let head = TCPTestServer.readRequestHead(fd) else { return }
                TCPTestServer.sendAll(fd, state.lock.withLock { state.answer }(head))
                // Whatever else the client sent on this connection.
                var rest = [UInt8](repeating: 0, count: 4096), more: [UInt8] = []
                while true {
                    let n = recv(fd, &rest, rest.count, 0)
                    if n <= 0 { break }
                    more += rest[..<n]
                }
                state.lock.withLock { state.received.append(head + String(decoding: more, as: UTF8.self)) }
            }
        }

        func answer(_ f: @escaping @Sendable (String) -> [UInt8]) { state.lock.withLock { state.answer = f } }
        func answer(_ text: String) { answer { _ in Array(text.utf8) } }
        var received: [String] { state.lock.withLock { state.received } }
    }

    var admin: Admin!
    var h: ClusterHarness!

    override func setUpWithError() throws {
        admin = try Admin()
        h = try ProxyGetCommandTests.harness(withPodIn: "odd", adminAt: admin.port)
    }

    override func tearDown() {
        h = nil
        admin = nil
    }

    private let prefix = "Error: Error retrieving proxy config for pod odd-1 in namespace odd: "

    func testBadLengthsFromThePodAreOneLineErrors() throws {
        let cases: [(String, String)] = [
            ("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello", "the answer is not HTTP/1.1 (bad Content-Length \"-5\")"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nhello",
             "the answer is not HTTP/1.1 (bad Content-Length \"99999999999999999999999\")"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", "the answer is not HTTP/1.1 (bad chunk size \"-5\")"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8000000000000000\r\nhello\r\n0\r\n\r\n",
             "the answer is not HTTP/1.1 (bad chunk size \"8000000000000000\")"),
            ("\u{1B}]0;owned\u{7}HTTP/1.1 200 OK\r\n\r\n", "the answer is not HTTP/1.1 (status line \"\\e]0;owned\\aHTTP/1.1 200 OK\")"),
        ]
        for (answer, why) in cases {
            admin.answer(answer)
            let r = try h.osm(["proxy", "get", "config_dump", "odd-1", "-n", "odd"])
            XCTAssertEqual(r.status, 1, "\(answer.debugDescription): \(r.stderr)")
            XCTAssertEqual(r.stderr, prefix + why + "\n")
            XCTAssertEqual(r.stdout, "")
        }
    }

    func testEnvoyStatusTextIsEscapedAndTheBodyIsByteForByte() throws {
        let body = "a\u{1B}[2Jb\r\n\u{0}c"
        admin.answer("HTTP/1.1 503 Gone\u{1B}[31m\u{7}\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let r = try h.osm(["proxy", "get", "stats", "odd-1", "-n", "odd"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(Array(r.stdout.utf8), Array(body.utf8))
        XCTAssertEqual(r.stderr, "Warning: Envoy answered 503 Gone\\e[31m\\a for /stats\n")
    }

    func testAQueryWithCRLFIsRefusedAndNeverReachesThePod() throws {
        admin.answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        let query = "config_dump HTTP/1.1\r\nHost: x\r\n\r\nPOST /quitquitquit"
        let r = try h.osm(["proxy", "get", query, "odd-1", "-n", "odd"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stdout, "")
        let url = "http://localhost:15000/config_dump HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nPOST /quitquitquit"
        XCTAssertEqual(r.stderr, prefix + "Error fetching url \(url): parse \"\(url)\": net/url: invalid control character in URL\n")
        XCTAssertEqual(admin.connections, 0)
        XCTAssertFalse(admin.received.joined().contains("quitquitquit"))

        let badEscape = try h.osm(["proxy", "get", "stats%zz", "odd-1", "-n", "odd"])
        XCTAssertEqual(badEscape.status, 1)
        XCTAssertEqual(badEscape.stderr, prefix + "Error fetching url http://localhost:15000/stats%zz: parse \"http://localhost:15000/stats%zz\": invalid URL escape \"%zz\"\n")
        XCTAssertEqual(admin.connections, 0)
    }

    func testSpacesAreSentEscapedAsGoEscapesThem() throws {
        // The answer's body is the request line the pod received.
        admin.answer { head in
            let line = Array(head.utf8.prefix { $0 != 13 })
            return Array("HTTP/1.1 200 OK\r\nContent-Length: \(line.count)\r\n\r\n".utf8) + line
        }
        let cases = [("stats?filter=a b", "GET /stats?filter=a%20b HTTP/1.1"),
                     ("a b/c!d#frag", "GET /a%20b/c%21d HTTP/1.1"),
                     ("config_dump?resource=x&mask=y", "GET /config_dump?resource=x&mask=y HTTP/1.1"),
                     ("c!d(e)%41", "GET /c!d(e)%41 HTTP/1.1")]
        for (query, line) in cases {
            let r = try h.osm(["proxy", "get", query, "odd-1", "-n", "odd"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, line)
        }
        XCTAssertEqual(admin.connections, cases.count, "one connection per request")
    }

    func testTheKubeletsErrorTextIsEscaped() throws {
        let s = try HostileServer(.forwardErrorText)
        let r = try s.osm(["proxy", "get", "config_dump", "p1"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "Error: Error retrieving proxy config for pod p1 in namespace default: \\e]0;pwned\\aerror forwarding port\\r\\nsecond line\n")
    }

    func testEndlessTextOnTheErrorChannelIsCapped() throws {
        let s = try HostileServer(.forwardErrorEndless)
        let r = try s.osm(["proxy", "get", "config_dump", "p1"], timeout: 60)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "Error: Error retrieving proxy config for pod p1 in namespace default: the port-forward tunnel to pod p1 in namespace default carried more than 64 KiB on its error channel, far more than any kubelet's error text\n")
    }

    func testUpgradeRefusedWithANegativeLengthIsOneLineError() throws {
        let s = try HostileServer(.upgradeNegativeLength)
        let r = try s.osm(["proxy", "get", "config_dump", "p1"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "Error: Error retrieving proxy config for pod p1 in namespace default: the API server at \(s.url) answered the WebSocket upgrade for create pods/portforward p1 in namespace default with \"HTTP/1.1 403 Forbidden\" and a bad Content-Length \"-1\"\n")
        XCTAssertEqual(s.requests.count, 2, "the pod, then the upgrade")
    }
}

extension HostileTunnelTests {
    func testVerifyConnectivityReportsABadLengthAsItsReason() throws {
        XCTAssertEqual(try h.osm(["install", "--enable-egress"]).status, 0)
        XCTAssertEqual(try h.osm(["namespace", "add", "odd"]).status, 0)
        let cases = [("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello", "bad Content-Length \"-5\""),
                     ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", "bad chunk size \"-5\"")]
        for (answer, why) in cases {
            admin.answer(answer)
            let r = try h.osm(["verify", "connectivity", "--from-pod", "odd/odd-1", "--to-ext-host", "httpbin.org", "--to-ext-port", "443",
                               "--app-protocol", "https"])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(r.stderr, "")
            XCTAssertTrue(r.stdout.contains("\nReason: Could not read the sidecar's config: reading Envoy's /config_dump through the tunnel: the answer is not HTTP/1.1 (\(why))\n"), r.stdout)
        }
    }
}
