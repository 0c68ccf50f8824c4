import XCTest
@testable import KubeClient

/// The request-target for `http://localhost:15000/` + a query, as Go's `url.Parse` and
/// `URL.RequestURI` make it; spaces and control bytes are never left raw.
final class HTTPRequestTargetTests: XCTestCase {
    func testGoRequestURIs() throws {
        let cases: [(String, String)] = [
            ("config_dump", "/config_dump"),
            ("config_dump?resource=dynamic_listeners&mask=x", "/config_dump?resource=dynamic_listeners&mask=x"),
            // upstream cmd/cli/proxy_get.go: fmt.Sprintf("http://localhost:%d/%s", port, query), and
            // Go's RequestURI keeps the path's two slashes.
            ("/stats", "//stats"),
            ("//x?a", "///x?a"),
            ("", "/"),
            ("stats#frag", "/stats"),
            ("a b", "/a%20b"),
            ("a!b c", "/a%21b%20c"),             // not validly escaped: Go re-escapes the whole path
            ("a!b(c)*[d]%41", "/a!b(c)*[d]%41"), // validly escaped: kept as written
            ("caf\u{E9}", "/caf%C3%A9"),
            ("stats?filter=a b", "/stats?filter=a%20b"),
            ("stats?filter=%zz", "/stats?filter=%zz"), // Go leaves the query as written
            ("x?", "/x?"),
        ]
        for (query, want) in cases {
            XCTAssertEqual(try HTTPRequestTarget.goRequestURI(query), want, query)
        }
    }

    func testWhatGoRefuses() {
        let cases: [(String, String)] = [
            ("config_dump HTTP/1.1\r\n\r\nPOST /quitquitquit", "net/url: invalid control character in URL"),
            ("a\u{7F}", "net/url: invalid control character in URL"),
            ("a\tb", "net/url: invalid control character in URL"),
            ("stats%zz", "invalid URL escape \"%zz\""),
            ("stats%4", "invalid URL escape \"%4\""),
            ("stats#%g1", "invalid URL escape \"%g1\""),
        ]
        for (query, why) in cases {
            XCTAssertThrowsError(try HTTPRequestTarget.goRequestURI(query), query) {
                XCTAssertEqual(($0 as? HTTPRequestTarget.Invalid)?.reason, why)
            }
        }
    }

    func testTheTunnelNeverSendsALineBreakerRaw() {
        let request = String(decoding: PortForwardTunnel.httpGetRequest("/a b\r\nX: y", host: "localhost:15000", userAgent: "t"), as: UTF8.self)
        XCTAssertTrue(request.hasPrefix("GET /a%20b%0D%0AX:%20y HTTP/1.1\r\nHost: localhost:15000\r\n"), request)
    }

    func testNamesThatWouldChangeARequestPathAreRefused() throws {
        XCTAssertEqual(KubeRequest.pathSegmentProblem("../x"), "[may not contain '/']")
        XCTAssertEqual(KubeRequest.pathSegmentProblem("."), "[may not be '.']")
        XCTAssertEqual(KubeRequest.pathSegmentProblem("a%/"), "[may not contain '/' may not contain '%']")
        XCTAssertNil(KubeRequest.pathSegmentProblem("..a"))
        XCTAssertThrowsError(try KubeRequest.get(.pods, namespace: "..", name: "p")) {
            XCTAssertEqual(($0 as? KubeError)?.message, "invalid namespace \"..\": [may not be '..']")
        }
        XCTAssertThrowsError(try KubeRequest.delete(.pods, namespace: "ns", name: "a/b")) {
            XCTAssertEqual(($0 as? KubeError)?.message, "invalid resource name \"a/b\": [may not contain '/']")
        }
        XCTAssertEqual(KubeRequest.list(.pods, namespace: "../kube-system").invalid?.message,
                       "invalid namespace \"../kube-system\": [may not contain '/']")
        XCTAssertNil(KubeRequest.list(.pods, namespace: "kube-system").invalid)
    }
}
