import Foundation
import KubeClient
import KubeSim
import XCTest
import ObjectModel

/// `osm proxy get` through kube-sim's port-forward to a fake Envoy admin interface.
final class ProxyGetCommandTests: XCTestCase {
    /// The harness the fake Envoy reads osm-config from, set once the harness exists.
    final class Mesh: @unchecked Sendable {
        weak var harness: ClusterHarness?
        var egress: Bool {
            harness?.configMap("osm-config", in: "osm-system")?[path: "data", "egress"]?.stringValue == "true"
        }
    }

    var mesh: Mesh!
    var envoy: FakeEnvoyAdmin!
    var h: ClusterHarness!

    override func setUpWithError() throws {
        let mesh = Mesh()
        self.mesh = mesh
        envoy = try FakeEnvoyAdmin(padding: 300_000) { mesh.egress }
        let port = envoy.port
        // `other-*` pods are meshed and running, but nothing serves their admin port.
        h = try ClusterHarness {
            $0.forwards = ["curl/curl-*:15000=127.0.0.1:\(port)"]
            $0.unpullableImage = "never-pulled"
        }
        mesh.harness = h
    }

    override func tearDown() {
        h = nil
        envoy = nil
    }

    /// A cluster with one running meshed pod `<namespace>-1` in `namespace`, whose Envoy admin
    /// port (15000) is forwarded to `127.0.0.1:port`: the far end a tunnel test controls.
    static func harness(withPodIn namespace: String, adminAt port: Int) throws -> ClusterHarness {
        let h = try ClusterHarness { $0.forwards = ["\(namespace)/\(namespace)-*:15000=127.0.0.1:\(port)"] }
        try h.createNamespace(namespace)
        try createPod(h, "\(namespace)-1", namespace: namespace)
        return h
    }

    /// A pod created through the API, in the phase and with the labels given.
    /// A pod created through the API; kube-sim's kubelet runs it unless its image never pulls.
    static func createPod(_ h: ClusterHarness, _ name: String, namespace: String, meshed: Bool = true, image: String = "curlimages/curl") throws {
        var labels: JSONObject = ["app": "curl"]
        if meshed { labels["osm-proxy-uuid"] = .string(UUID().uuidString.lowercased()) }
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": .object(labels)],
            "spec": ["containers": [["name": "curl", "image": .string(image)], ["name": "envoy", "image": "envoyproxy/envoy-alpine:v1.18.3"]]],
        ]
        var options = ClientOptions()
        options.kubeconfig = h.kubeconfig
        let client = try KubeClient(options: options)
        _ = try client.create(.pods, namespace: namespace, pod)
        guard image != "never-pulled" else { return }
        // Wait for the simulated kubelet to start it.
        guard try eventually("pod \(namespace)/\(name) running", {
            try client.get(.pods, namespace: namespace, name: name)[path: "status", "phase"]?.stringValue == "Running"
        }) else { throw MissingPrerequisite("pod \(namespace)/\(name) never ran") }
    }

    func testConfigDumpShowsTheEgressFilterChainAndFollowsMeshUpgrade() throws {
        XCTAssertEqual(try h.osm(["install", "--enable-egress"]).status, 0)
        try h.createNamespace("curl")
        XCTAssertEqual(try h.osm(["namespace", "add", "curl"]).status, 0)
        try Self.createPod(h, "curl-7d6b9c-x2x4k", namespace: "curl")

        let on = try h.osm(["proxy", "get", "config_dump", "curl-7d6b9c-x2x4k", "-n", "curl"])
        XCTAssertEqual(on.status, 0, on.stderr)
        XCTAssertEqual(on.stderr, "")
        XCTAssertEqual(Array(on.stdout.utf8), envoy.configDump(egress: true), "the dump, byte for byte")
        XCTAssertTrue(on.stdout.contains("\"outbound-egress-filter-chain\""))
        XCTAssertTrue(on.stdout.contains("\"cluster\" : \"passthrough-outbound\""))

        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--enable-egress=false"]).status, 0)
        let off = try h.osm(["proxy", "get", "config_dump", "curl-7d6b9c-x2x4k", "--namespace=curl"])
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertEqual(Array(off.stdout.utf8), envoy.configDump(egress: false))
        XCTAssertFalse(off.stdout.contains("outbound-egress-filter-chain"))

        // -f writes the file instead of stdout; -p is accepted.
        let file = h.dir.appendingPathComponent("dump.json").path
        let toFile = try h.osm(["proxy", "get", "config_dump?resource=dynamic_listeners", "curl-7d6b9c-x2x4k", "-n", "curl",
                                "-f", file, "-p", "15001"])
        XCTAssertEqual(toFile.status, 0, toFile.stderr)
        XCTAssertEqual(toFile.stdout, "")
        XCTAssertEqual(try Array(Data(contentsOf: URL(fileURLWithPath: file))), envoy.configDump(egress: false))

        // The request went through the API server's port-forward subresource as a WebSocket.
        let upgrades = h.sim.requestLog.filter { $0.path == "/api/v1/namespaces/curl/pods/curl-7d6b9c-x2x4k/portforward" }
        XCTAssertEqual(upgrades.map(\.status), [101, 101, 101])
        XCTAssertEqual(upgrades.first?.query, "ports=15000")
    }

    func testEachFailureIsOneLineAndExitOne() throws {
        try h.createNamespace("curl")
        try Self.createPod(h, "curl-plain", namespace: "curl", meshed: false)
        try Self.createPod(h, "curl-pending", namespace: "curl", image: "never-pulled")
        try Self.createPod(h, "other-1", namespace: "curl")
        let cases: [([String], String)] = [
            (["nope", "-n", "curl"], "Error: Could not find pod nope in namespace curl\n"),
            (["curl-plain", "-n", "curl"], "Error: Pod curl-plain in namespace curl is not a part of a mesh\n"),
            (["curl-pending", "-n", "curl"], "Error: Pod curl-pending in namespace curl is not running\n"),
            (["curl-plain"], "Error: Could not find pod curl-plain in namespace default\n"),
        ]
        for (args, want) in cases {
            let r = try h.osm(["proxy", "get", "config_dump"] + args)
            XCTAssertEqual(r.status, 1, "\(args)")
            XCTAssertEqual(r.stderr, want)
            XCTAssertEqual(r.stdout, "")
        }
        // Nothing listens on other-1's admin port: the kubelet's message from the error channel.
        let unmapped = try h.osm(["proxy", "get", "config_dump", "other-1", "-n", "curl"])
        XCTAssertEqual(unmapped.status, 1)
        XCTAssertEqual(unmapped.stdout, "")
        XCTAssertTrue(unmapped.stderr.hasPrefix("Error: Error retrieving proxy config for pod other-1 in namespace curl: error forwarding port 15000 to pod "), unmapped.stderr)
        XCTAssertTrue(unmapped.stderr.hasSuffix("connect: connection refused\n"), unmapped.stderr)
        XCTAssertEqual(unmapped.stderr.filter { $0 == "\n" }.count, 1)
        XCTAssertEqual(envoy.connections, 0, "no request reached an Envoy")
    }

    func testTunnelDroppedMidBodyIsAnError() throws {
        try h.createNamespace("curl")
        try Self.createPod(h, "curl-1", namespace: "curl")
        let total = envoy.configDump(egress: false).count
        envoy.dropAfter(100_000)
        let file = h.dir.appendingPathComponent("partial.json").path
        for extra in [[], ["-f", file]] {
            let r = try h.osm(["proxy", "get", "config_dump", "curl-1", "-n", "curl"] + extra)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(r.stderr, "Error: Error retrieving proxy config for pod curl-1 in namespace curl: the tunnel closed after 100000 of \(total) bytes of the answer\n")
        }
    }

    func testUnknownQueryPrintsEnvoysAnswerAndWarns() throws {
        try h.createNamespace("curl")
        try Self.createPod(h, "curl-1", namespace: "curl")
        let r = try h.osm(["proxy", "get", "no_such_thing", "curl-1", "-n", "curl"])
        XCTAssertEqual(r.status, 0, "as upstream, Envoy's answer is printed whatever its status")
        XCTAssertTrue(r.stdout.hasPrefix("invalid path: /no_such_thing\n"), r.stdout)
        XCTAssertEqual(r.stderr, "Warning: Envoy answered 404 Not Found for /no_such_thing\n")
    }

    func testAQueryStartingWithASlashIsFetchedWithTwoAsUpstreamBuildsIt() throws {
        // upstream cmd/cli/proxy_get.go: url := fmt.Sprintf("http://localhost:%d/%s", localPort, query);
        // Go's RequestURI of http://localhost:P//stats is //stats.
        try h.createNamespace("curl")
        try Self.createPod(h, "curl-1", namespace: "curl")
        let r = try h.osm(["proxy", "get", "/stats", "curl-1", "-n", "curl"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("invalid path: //stats\n"), r.stdout)
        XCTAssertEqual(r.stderr, "Warning: Envoy answered 404 Not Found for //stats\n")
    }

    func testUsageErrors() throws {
        let missing = try OSMBinary.run(["proxy", "get", "config_dump"])
        XCTAssertEqual(missing.status, 1, missing.stderr)
        let badPort = try OSMBinary.run(["proxy", "get", "config_dump", "pod", "-p", "70000"])
        XCTAssertEqual(badPort.status, 1, badPort.stderr)
    }
}
