import Foundation
import KubeSim
import XCTest
import ObjectModel

/// `osm verify connectivity` to external destinations: kube-sim forwards each pod's Envoy admin
/// port (15000) to a fake Envoy admin on loopback whose config_dump has or lacks the egress chain.
final class VerifyConnectivityTests: XCTestCase {
    /// Plays one sidecar's Envoy admin interface: `/config_dump` answers the current config.
    final class FakeEnvoy: @unchecked Sendable {
        /// What the sidecar was last told; shared with the connection threads, which may outlive this object.
        final class State: @unchecked Sendable {
            let lock = NSLock()
            var egress: Bool
            var version = 1
            /// Egress to switch to once a config_dump has been served (the controller's push arriving then).
            var afterFirstDump: Bool?
            init(egress: Bool) { self.egress = egress }
        }
        private let state: State
        private var server: TCPTestServer!
        var port: Int { server.port }

        init(egress: Bool) throws {
            let state = State(egress: egress)
            self.state = state
            server = try TCPTestServer { fd in
                guard let head = TCPTestServer.readRequestHead(fd) else { return }
                let body: [UInt8]
                let status: String
                if head.hasPrefix("GET /config_dump ") {
                    let (on, v) = state.lock.withLock {
                        let served = (state.egress, state.version)
                        if let next = state.afterFirstDump {
                            state.afterFirstDump = nil
                            state.egress = next
                            state.version += 1
                        }
                        return served
                    }
                    body = EnvoyConfigDump.dump(egress: on, version: String(v))
                    status = "200 OK"
                } else {
                    body = Array("invalid path\n".utf8)
                    status = "404 Not Found"
                }
                let response = Array("HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
                _ = response.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }

        /// What the controller's next push does.
        func set(egress: Bool) { state.lock.withLock { state.egress = egress; state.version += 1 } }

        /// What the controller's push does once this sidecar has answered one config_dump as it is now.
        func setAfterNextDump(egress: Bool) { state.lock.withLock { state.afterFirstDump = egress } }
    }

    /// A mesh with egress on, namespace `curl` in it, and pods `curl-1` (its Envoy says egress
    /// on) and `curl-2` (its Envoy `curl2Egress`), each with the sidecar and `osm-proxy-uuid`.
    private func mesh(curl2Egress: Bool = true, installArgs: [String] = ["--enable-egress"]) throws -> (ClusterHarness, FakeEnvoy, FakeEnvoy) {
        let e1 = try FakeEnvoy(egress: true)
        let e2 = try FakeEnvoy(egress: curl2Egress)
        let h = try ClusterHarness { o in
            o.forwards = ["curl/curl-1:15000=127.0.0.1:\(e1.port)", "curl/curl-2:15000=127.0.0.1:\(e2.port)"]
        }
        XCTAssertEqual(try h.osm(["install"] + installArgs).status, 0)
        try h.createNamespace("curl")
        XCTAssertEqual(try h.osm(["namespace", "add", "curl"]).status, 0)
        try pod(h, "curl", "curl-1")
        try pod(h, "curl", "curl-2")
        return (h, e1, e2)
    }

    private func pod(_ h: ClusterHarness, _ ns: String, _ name: String, sidecar: Bool = true, phase: String = "Running") throws {
        var containers: [JSONValue] = [["name": "curl", "image": "curlimages/curl"]]
        if sidecar { containers.append(["name": "envoy", "image": "envoyproxy/envoy-alpine:v1.17.2"]) }
        var labels: JSONObject = ["app": "curl"]
        if sidecar { labels["osm-proxy-uuid"] = .string(UUID().uuidString.lowercased()) }
        try h.sim.put([
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": .string(ns), "labels": .object(labels)],
            "spec": ["containers": .array(containers)],
            "status": ["phase": .string(phase)],
        ])
    }

    private func statuses(_ stdout: String) -> [(String, String)] {
        var out: [(String, String)] = []
        var context = ""
        for line in stdout.split(separator: "\n").map(String.init) {
            if let r = line.range(of: "Context: ") { context = String(line[r.upperBound...]) }
            if line.hasPrefix("Status: ") { out.append((context, String(line.dropFirst(8)))) }
        }
        return out
    }

    private let to = ["--to-ext-host", "httpbin.org", "--to-ext-port", "443", "--app-protocol", "https"]

    func testEgressOnAndASidecarThatHasItIsAllowed() throws {
        let (h, _, _) = try mesh()
        let r = try h.osm(["verify", "connectivity", "--from-pod", "curl/curl-1"] + to)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(statuses(r.stdout).map(\.0), [
            "Verify if pod \"curl/curl-1\" can access external service httpbin.org on port 443",
            "Verify pod \"curl/curl-1\" exists and is running",
            "Verify if namespace \"curl\" is monitored",
            "Verify Envoy sidecar on pod \"curl/curl-1\"",
            "Verify destination httpbin.org:443 is outside the mesh",
            "Verify egress is enabled in ConfigMap \"osm-system/osm-config\"",
            "Verify Envoy config on pod \"curl/curl-1\" agrees with osm-config (egress: true)",
        ])
        XCTAssertTrue(statuses(r.stdout).allSatisfy { $0.1 == "Success" }, r.stdout)
        XCTAssertEqual(r.stderr, "")
    }

    func testStaleSidecarIsNamedWithItsListenerVersion() throws {
        let (h, _, _) = try mesh(curl2Egress: false)
        let r = try h.osm(["verify", "connectivity", "--from-pod", "curl/curl-2"] + to)
        XCTAssertEqual(r.status, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("Status: Failure\nReason: Sidecar not yet updated: outbound-listener has no default filter chain (outbound-egress-filter-chain) (outbound-listener version_info 1, last_updated 2021-05-05T10:00:00.000Z)\n"), r.stdout)
    }

    func testEgressOffIsTheReasonAndTheSidecarAgrees() throws {
        let (h, e1, _) = try mesh()
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--enable-egress=false"]).status, 0)
        e1.set(egress: false)
        let r = try h.osm(["verify", "connectivity", "--from-pod", "curl/curl-1"] + to)
        XCTAssertEqual(r.status, 1, r.stdout)
        let s = Dictionary(statuses(r.stdout), uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(s["Verify egress is enabled in ConfigMap \"osm-system/osm-config\""], "Failure")
        XCTAssertTrue(r.stdout.contains("Reason: egress is disabled in osm-config (egress: \"false\")\nSuggestion: Enable it: osm mesh upgrade --enable-egress"), r.stdout)
        XCTAssertEqual(s["Verify Envoy config on pod \"curl/curl-1\" agrees with osm-config (egress: false)"], "Success")

        // An excluded IP range bypasses the sidecar: allowed with egress off.
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--outbound-ip-range-exclusion-list", "10.0.0.0/8"]).status, 0)
        let bypass = try h.osm(["verify", "connectivity", "--from-pod", "curl/curl-1", "--to-ext-host", "10.1.2.3", "--to-ext-port", "5432", "--app-protocol", "tcp"])
        XCTAssertEqual(bypass.status, 0, bypass.stdout)
        XCTAssertTrue(bypass.stdout.contains("Reason: 10.1.2.3 is in outbound_ip_range_exclusion_list (10.0.0.0/8): its traffic bypasses the sidecar"), bypass.stdout)
    }

    func testPodsThatAreNotMeshedOrMonitoredAndInMeshDestinations() throws {
        let (h, _, _) = try mesh()
        try pod(h, "curl", "plain", sidecar: false)
        let plain = try h.osm(["verify", "connectivity", "--from-pod", "curl/plain"] + to)
        XCTAssertEqual(plain.status, 1)
        XCTAssertTrue(plain.stdout.contains("Reason: Did not find Envoy sidecar on pod \"curl/plain\"\nSuggestion: Ensure pod \"curl/plain\" has sidecar injection enabled"), plain.stdout)

        try h.createNamespace("outside")
        try pod(h, "outside", "web")
        let outside = try h.osm(["verify", "connectivity", "--from-pod", "outside/web"] + to)
        XCTAssertEqual(outside.status, 1)
        XCTAssertTrue(outside.stdout.contains("Reason: Missing label \"openservicemesh.io/monitored-by\" on namespace \"outside\""), outside.stdout)
        // Its Envoy admin port leads nowhere: the kubelet's error, as a check that could not be made.
        XCTAssertTrue(outside.stdout.contains("Status: Unknown\nReason: Could not read the sidecar's config: "), outside.stdout)

        let missing = try h.osm(["verify", "connectivity", "--from-pod", "curl/nope"] + to)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stdout.contains("Reason: Pod \"curl/nope\" not found"), missing.stdout)

        try h.sim.put(["apiVersion": "v1", "kind": "Service",
                       "metadata": ["name": "httpbin", "namespace": "curl"],
                       "spec": ["clusterIP": "10.96.0.42", "ports": [["port": 14001]]]])
        for host in ["httpbin", "httpbin.curl", "httpbin.curl.svc.cluster.local", "10.96.0.42"] {
            let r = try h.osm(["verify", "connectivity", "--from-pod", "curl/curl-1", "--to-ext-host", host, "--to-ext-port", "14001"])
            XCTAssertEqual(r.status, 1, host)
            XCTAssertTrue(r.stdout.contains("Reason: \(host) is Service curl/httpbin in this cluster: traffic to it is in-mesh, not egress"), "\(host): \(r.stdout)")
        }
    }

    func testFromNamespaceWaitsUntilEverySidecarAgrees() throws {
        let (h, _, e2) = try mesh(curl2Egress: false)
        // curl-2's sidecar catches up right after osm has read it once as stale: osm has to wait.
        e2.setAfterNextDump(egress: true)
        let r = try h.osm(["verify", "connectivity", "--from-namespace", "curl", "--wait", "30s"] + to)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("Waiting for 1 of 2 sidecar(s) to agree with osm-config: curl/curl-2\n"), r.stderr)
        XCTAssertEqual(statuses(r.stdout).filter { $0.0.hasPrefix("Verify if pod") }.map(\.1), ["Success", "Success"], r.stdout)
        XCTAssertTrue(r.stdout.contains("version_info") == false, r.stdout)
    }

    /// With `--from-namespace`, every sidecar's config_dump is read over a tunnel of its own, all
    /// of them open at once, by one thread: this Envoy answers no request until all six have
    /// arrived (read one after another, the first would wait out the barrier and get a 503),
    /// and while they wait it counts the threads of the `osm` process.
    func testSidecarsAreReadOverConcurrentTunnelsByOneThread() throws {
        final class Barrier: @unchecked Sendable {
            let condition = NSCondition()
            var arrived = 0
            var peak = 0
            var inFlight = 0
            var osmThreads: [Int] = []
        }
        let pods = 6
        let barrier = Barrier()
        let server = try TCPTestServer { fd in
            guard TCPTestServer.readRequestHead(fd) != nil else { return }
            barrier.condition.lock()
            barrier.arrived += 1
            barrier.inFlight += 1
            barrier.peak = max(barrier.peak, barrier.inFlight)
            if barrier.arrived == pods { barrier.osmThreads.append(Self.threadsOfChildOSM()) }
            barrier.condition.broadcast()
            let deadline = Date().addingTimeInterval(30)
            while barrier.arrived < pods && barrier.condition.wait(until: deadline) {}
            let together = barrier.arrived >= pods
            barrier.inFlight -= 1
            barrier.condition.unlock()
            let body = together ? EnvoyConfigDump.dump(egress: true, version: "1") : Array("not all tunnels arrived together\n".utf8)
            let status = together ? "200 OK" : "503 Service Unavailable"
            TCPTestServer.sendAll(fd, Array("HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body)
        }
        let h = try ClusterHarness { o in o.forwards = ["curl/curl-*:15000=127.0.0.1:\(server.port)"] }
        XCTAssertEqual(try h.osm(["install", "--enable-egress"]).status, 0)
        try h.createNamespace("curl")
        XCTAssertEqual(try h.osm(["namespace", "add", "curl"]).status, 0)
        for i in 1...pods { try pod(h, "curl", "curl-\(i)") }

        let r = try h.osm(["verify", "connectivity", "--from-namespace", "curl"] + to)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(statuses(r.stdout).filter { $0.0.hasPrefix("Verify if pod") }.map(\.1), Array(repeating: "Success", count: pods), r.stdout)
        barrier.condition.lock()
        defer { barrier.condition.unlock() }
        XCTAssertEqual(barrier.peak, pods, "every tunnel's request was in flight at once")
        XCTAssertEqual(barrier.osmThreads, [1], "osm drove the \(pods) tunnels from its one thread")
    }

    /// The number of threads of this process's running `osm` child (0 when there is none).
    private static func threadsOfChildOSM() -> Int {
        let me = getpid()
        let binary = URL(fileURLWithPath: OSMBinary.path).resolvingSymlinksInPath().path
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == me,
                  (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/exe")) == binary else { continue }
            return (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(entry)/task").count) ?? 0
        }
        return 0
    }

    func testWaitTimesOutNamingTheStalePods() throws {
        let (h, _, _) = try mesh(curl2Egress: false)
        let r = try h.osm(["verify", "connectivity", "--from-namespace", "curl", "--wait", "1s"] + to)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("Timed out after 1s waiting for 1 sidecar(s) to agree with osm-config: curl/curl-2 (outbound-listener version_info 1, last_updated 2021-05-05T10:00:00.000Z)\n"), r.stderr)
        let tops = statuses(r.stdout).filter { $0.0.hasPrefix("Verify if pod") }
        XCTAssertEqual(tops.map(\.0), ["Verify if pod \"curl/curl-1\" can access external service httpbin.org on port 443",
                                        "Verify if pod \"curl/curl-2\" can access external service httpbin.org on port 443"])
        XCTAssertEqual(tops.map(\.1), ["Success", "Failure"])

        let empty = try h.osm(["verify", "connectivity", "--from-namespace", "osm-system"] + to)
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.hasPrefix("Error: no pod with an Envoy sidecar in namespace osm-system"), empty.stderr)
    }
}

/// A config_dump as Envoy's admin API writes it for an OSM v0.8 sidecar (the shape
/// `EnvoyEgressConfigTests` reads too).
enum EnvoyConfigDump {
    static func dump(egress: Bool, version: String) -> [UInt8] {
        var listener: JSONObject = [
            "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
            "name": "outbound-listener",
            "address": ["socket_address": ["address": "0.0.0.0", "port_value": 15001]],
            "listener_filters": [["name": "envoy.filters.listener.original_dst"]],
            "traffic_direction": "OUTBOUND",
        ]
        var clusters: [JSONValue] = [["cluster": ["name": "osm-controller"]]]
        if egress {
            listener["default_filter_chain"] = [
                "name": "outbound-egress-filter-chain",
                "filters": [["name": "envoy.filters.network.tcp_proxy",
                             "typed_config": ["stat_prefix": "passthrough-outbound", "cluster": "passthrough-outbound"]]],
            ]
            clusters.append(["cluster": ["name": "passthrough-outbound"]])
        }
        let dump: JSONValue = ["configs": [
            ["@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "dynamic_active_clusters": .array(clusters)],
            ["@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": [[
                "name": "outbound-listener",
                "active_state": ["version_info": .string(version), "listener": .object(listener),
                                 "last_updated": "2021-05-05T10:00:00.000Z"],
            ]]],
        ]]
        return dump.jsonBytes()
    }
}
