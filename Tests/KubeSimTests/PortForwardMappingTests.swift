import KubeSim
import XCTest

/// `--forward NAMESPACE/POD:PORT=HOST:PORT`.
final class PortForwardMappingTests: XCTestCase {
    func testParsesAndMatches() throws {
        let exact = try PortForwardMapping(parsing: "curl/curl-1:15000=127.0.0.1:9901")
        XCTAssertEqual(exact, PortForwardMapping(namespace: "curl", pod: "curl-1", port: 15000, host: "127.0.0.1", targetPort: 9901))
        XCTAssertTrue(exact.matches(namespace: "curl", pod: "curl-1", port: 15000))
        XCTAssertFalse(exact.matches(namespace: "curl", pod: "curl-12", port: 15000))
        XCTAssertFalse(exact.matches(namespace: "other", pod: "curl-1", port: 15000))
        XCTAssertFalse(exact.matches(namespace: "curl", pod: "curl-1", port: 15001))

        let deployment = try PortForwardMapping(parsing: "osm-system/osm-grafana-*:3000=[::1]:3300")
        XCTAssertEqual(deployment.host, "::1")
        XCTAssertTrue(deployment.matches(namespace: "osm-system", pod: "osm-grafana-5b7c9d-x2x4k", port: 3000))
        XCTAssertFalse(deployment.matches(namespace: "osm-system", pod: "osm-prometheus-1", port: 3000))
        XCTAssertEqual(deployment.description, "osm-system/osm-grafana-*:3000=[::1]:3300")
    }

    func testRefusesMalformedMappings() {
        for bad in ["", "curl-1:15000=127.0.0.1:9901", "curl/curl-1=127.0.0.1:9901", "curl/curl-1:15000",
                    "curl/curl-1:15000=127.0.0.1", "curl/curl-1:0=127.0.0.1:9901", "curl/curl-1:15000=127.0.0.1:70000",
                    "curl/c*rl:15000=127.0.0.1:9901", "/curl-1:15000=127.0.0.1:9901"] {
            XCTAssertThrowsError(try PortForwardMapping(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".contains("want NAMESPACE/POD:PORT=HOST:PORT"), "\(error)")
            }
        }
        var options = KubeSimOptions()
        options.forwards = ["nonsense"]
        XCTAssertThrowsError(try KubeSim(options: options))
    }
}
