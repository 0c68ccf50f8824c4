import KubeClient
@testable import MeshControl
import XCTest
import ObjectModel

/// The actions that read through port-forward tunnels take `any KubeAPI` like every other
/// action, so their logic runs against `FakeCluster` without a server or a pod.
final class PortForwardActionTests: XCTestCase {
    func meshedPod(_ cluster: FakeCluster, _ name: String, namespace: String = "app", running: Bool = true) {
        var pod = Fixtures.pod(name, namespace: namespace, labels: [MeshConstants.proxyUUIDLabel: "1"])
        if !running { pod["status"] = ["phase": "Pending"] }
        cluster.add(.pods, pod)
    }

    func testProxyGetStreamsEnvoysAnswerForTheTargetUpstreamBuilds() throws {
        let cluster = FakeCluster()
        meshedPod(cluster, "p")
        cluster.portAnswers["app/p:15000"] = .success(PortForwardAnswer(status: 404, statusLine: "404 Not Found", body: Array("invalid path".utf8)))
        var head: (Int, String)?
        var body: [UInt8] = []
        let status = try ProxyGet(query: "/stats?x=a b", pod: "p", namespace: "app").run(client: cluster, head: { head = ($0, $1) }) { body += $0 }
        XCTAssertEqual(status, 404)
        XCTAssertEqual(head?.1, "404 Not Found")
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "invalid path")
        XCTAssertEqual(cluster.calls, ["get pods app/p", "portforward app/p:15000 GET //stats?x=a%20b"])
    }

    func testProxyGetSaysWhyTheTunnelOrTheExchangeFailed() {
        let cluster = FakeCluster()
        meshedPod(cluster, "p")
        meshedPod(cluster, "q")
        cluster.portAnswers["app/q:15000"] = .failure(.forwarding("error forwarding port 15000 to pod q: connection refused"))
        cluster.failures = [:]
        func message(_ pod: String) -> String? {
            do {
                _ = try ProxyGet(query: "config_dump", pod: pod, namespace: "app").run(client: cluster) { _ in }
                return nil
            } catch {
                return (error as? OSMError)?.message
            }
        }
        // No tunnel: the API server's error, with upstream's prefix.
        XCTAssertEqual(message("p"), "Error retrieving proxy config for pod p in namespace app: pods \"p\" not found")
        XCTAssertEqual(message("q"), "Error retrieving proxy config for pod q in namespace app: error forwarding port 15000 to pod q: connection refused")
    }

    func testProxyGetChecksThePodBeforeAnyTunnel() {
        let cluster = FakeCluster()
        meshedPod(cluster, "pending", running: false)
        cluster.add(.pods, Fixtures.pod("plain", namespace: "app"))
        for (pod, kind) in [("pending", OSMError.Kind.notReady), ("plain", .notInMesh)] {
            XCTAssertThrowsError(try ProxyGet(query: "stats", pod: pod, namespace: "app").run(client: cluster) { _ in }) {
                XCTAssertEqual(($0 as? OSMError)?.kind, kind)
            }
        }
        XCTAssertTrue(cluster.calls("portforward").isEmpty)
    }

    func testEnvoyAdminReaderReadsEachSidecarAndNamesWhatFailed() {
        let cluster = FakeCluster()
        cluster.portAnswers["app/a:15000"] = .success(PortForwardAnswer(status: 200, statusLine: "200 OK", body: Array("{}".utf8)))
        cluster.portAnswers["app/b:15000"] = .success(PortForwardAnswer(status: 503, statusLine: "503 Service Unavailable", body: []))
        let reader = EnvoyAdminReader.make(client: cluster)
        let results = reader([("app", "a", "config_dump"), ("app", "b", "config_dump"), ("app", "c", "config_dump")])
        XCTAssertEqual(try results[0].get(), Array("{}".utf8))
        XCTAssertThrowsError(try results[1].get()) {
            XCTAssertEqual(($0 as? OSMError)?.message, "Envoy's admin interface answered /config_dump with \"503 Service Unavailable\"")
        }
        XCTAssertThrowsError(try results[2].get()) {
            XCTAssertEqual(($0 as? OSMError)?.message, "port-forward to app/c:15000: pods \"c\" not found")
        }
        XCTAssertEqual(cluster.calls("portforward").count, 3)
    }

    func testTheDefaultBatchStopsAnAnswerPastItsLimit() {
        let cluster = FakeCluster()
        cluster.portAnswers["app/a:15000"] = .success(PortForwardAnswer(status: 200, statusLine: "200 OK", body: [UInt8](repeating: 32, count: 100)))
        let get = PortForwardGet(namespace: "app", pod: "a", port: 15000, target: "/x", host: "localhost:15000", limit: 10)
        guard case .failure(.tooLarge(let limit))? = cluster.portForwardGet([get], maxInFlight: 1).first else {
            return XCTFail("an answer over its limit is refused")
        }
        XCTAssertEqual(limit, 10)
    }
}
