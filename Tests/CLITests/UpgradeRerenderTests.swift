import KubeSim
import XCTest
import ObjectModel

/// `mesh upgrade` moves what upstream's chart re-render moves besides osm-config: the Jaeger of
/// `--deploy-jaeger` follows `--tracing-port`. State is read back through the API.
final class UpgradeRerenderTests: XCTestCase {
    func jaegerPorts(_ h: ClusterHarness) throws -> (args: [String], containerPorts: [Int], servicePorts: [Int]) {
        let (ds, d) = try h.json("GET", "/apis/apps/v1/namespaces/osm-system/deployments/jaeger")
        let (ss, s) = try h.json("GET", "/api/v1/namespaces/osm-system/services/jaeger")
        XCTAssertEqual([ds, ss], [200, 200])
        let container = d[path: "spec", "template", "spec", "containers"]?[0]
        return ((container?["args"]?.arrayValue ?? []).compactMap(\.stringValue),
                (container?["ports"]?.arrayValue ?? []).compactMap { $0["containerPort"]?.intValue },
                (s[path: "spec", "ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue })
    }

    func testTracingPortMovesJaegerDeploymentAndService() throws {
        let h = try ClusterHarness()
        let install = try h.osm(["install", "--deploy-jaeger"])
        XCTAssertEqual(install.status, 0, install.stderr)
        var ports = try jaegerPorts(h)
        XCTAssertEqual(ports.args, ["--collector.zipkin.host-port=9411"])
        XCTAssertEqual(ports.containerPorts, [9411])
        XCTAssertEqual(ports.servicePorts, [9411])

        let dry = try h.osm(["mesh", "upgrade", "--tracing-port", "9412", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains(#"deployment/jaeger and service/jaeger port: "9411" -> "9412""#), dry.stdout)
        XCTAssertEqual(try jaegerPorts(h).containerPorts, [9411])

        h.sim.clearRequestLog()
        let up = try h.osm(["mesh", "upgrade", "--tracing-port", "9412"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertEqual(up.stdout, "OSM successfully upgraded mesh osm\n")
        ports = try jaegerPorts(h)
        XCTAssertEqual(ports.args, ["--collector.zipkin.host-port=9412"])
        XCTAssertEqual(ports.containerPorts, [9412])
        XCTAssertEqual(ports.servicePorts, [9412], "the old port is gone, not kept beside the new one")
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "tracing_port"], "9412")
        let patches = h.writes.filter { $0.method == "PATCH" }.map(\.path)
        XCTAssertEqual(patches.filter { $0.hasSuffix("/deployments/jaeger") }.count, 1, "\(patches)")
        XCTAssertEqual(patches.filter { $0.hasSuffix("/services/jaeger") }.count, 1, "\(patches)")
        XCTAssertFalse(h.writes.contains { $0.method == "PUT" }, "patches, no read-modify-write")

        // Again: nothing left to move.
        h.sim.clearRequestLog()
        let again = try h.osm(["mesh", "upgrade", "--tracing-port", "9412"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(h.writes.isEmpty, "\(h.writes)")
    }

    func testTracingPortWithoutJaegerTouchesNoJaeger() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        h.sim.clearRequestLog()
        let up = try h.osm(["mesh", "upgrade", "--tracing-port", "9412"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertFalse(h.writes.contains { $0.path.contains("jaeger") }, "\(h.writes)")
    }

    /// The Jaeger read goes with the other reads; its patches follow osm-config's patch and the
    /// record's move, which only one of two upgrades at once can make (the sim delays each
    /// request 100 ms one way).
    func testJaegerReadAddsNoRoundTripAndItsPatchesFollowTheRecord() throws {
        let h = try ClusterHarness { $0.latency = 0.1 }
        XCTAssertEqual(try h.osm(["install", "--deploy-jaeger"]).status, 0)
        h.sim.clearRequestLog()
        let up = try h.osm(["mesh", "upgrade", "--tracing-port", "9412"])
        XCTAssertEqual(up.status, 0, up.stderr)
        let log = h.sim.requestLog
        let reads = log.filter { $0.method == "GET" }, writes = log.filter { $0.method != "GET" }
        XCTAssertTrue(reads.contains { $0.path == "/apis/apps/v1/namespaces/osm-system/deployments/jaeger" }, "\(reads.map(\.path))")
        XCTAssertEqual(writes.filter { $0.path.hasSuffix("/jaeger") }.count, 2, "\(writes.map(\.path))")
        let readStarts = reads.map(\.startMs)
        let jaeger = writes.filter { $0.path.hasSuffix("/jaeger") }.map(\.startMs), others = writes.filter { !$0.path.hasSuffix("/jaeger") }.map(\.startMs)
        XCTAssertLessThan(readStarts.max()! - readStarts.min()!, 100, "the reads are sent together")
        XCTAssertLessThan(others.max()! - others.min()!, 100, "osm-config's patch and the record's writes are sent together")
        XCTAssertLessThan(jaeger.max()! - jaeger.min()!, 100, "the Jaeger patches are sent together")
        XCTAssertGreaterThan(others.min()! - readStarts.max()!, 150, "the writes wait for the reads' answers")
        XCTAssertGreaterThan(jaeger.min()! - others.max()!, 150, "the Jaeger patches wait for the record's")
    }
}
