import KubeSim
import XCTest
import TestSupport

/// `latency`: every read and write of a connection waits, so each round trip (the TLS
/// handshake's, then the request's) costs at least twice the one-way delay. Only lower
/// bounds are asserted: a delay can make things slower than asked, never faster.
final class LatencyTests: XCTestCase {
    func testEveryRoundTripPaysTwiceTheOneWayDelay() throws {
        let latency = 0.05
        for http2 in [true, false] {
            let h = try ClusterHarness { $0.latency = latency; $0.http2 = http2 }
            let out = try ProcessRunner.run("/usr/bin/curl", [
                "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_connect} %{time_appconnect} %{time_starttransfer}",
                "--cacert", h.caFile, "--cert", h.adminCertificate.cert, "--key", h.adminCertificate.key,
                h.sim.url + "/api/v1/namespaces/default",
            ])
            let f = out.stdout.split(separator: " ")
            XCTAssertEqual(f.first, "200", out.stdout)
            let t = f.dropFirst().compactMap { Double($0) }
            XCTAssertEqual(t.count, 3, out.stdout)
            guard t.count == 3 else { continue }
            let (connected, secured, firstByte) = (t[0], t[1], t[2])
            // TLS 1.3: ClientHello goes out, the server's flight comes back: one round trip.
            XCTAssertGreaterThanOrEqual(secured - connected, 2 * latency * 0.99, "TLS handshake, http2 = \(http2): \(out.stdout)")
            // The request goes out, the response comes back: one more.
            XCTAssertGreaterThanOrEqual(firstByte - secured, 2 * latency * 0.99, "request, http2 = \(http2): \(out.stdout)")
            XCTAssertEqual(h.sim.requestLog.map(\.path), ["/api/v1/namespaces/default"])
        }
    }
}
