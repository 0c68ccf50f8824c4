import XCTest
import ObjectModel
import TestSupport

/// Service clusterIPs and nodePorts as kube-apiserver v1.20.15 allocates them, with kubeadm's ranges
/// (`--service-cluster-ip-range=10.96.0.0/12`, `--service-node-port-range=30000-32767`).
final class ServiceAllocationTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    private func service(_ name: String, _ spec: JSONValue) -> JSONValue {
        ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": spec]
    }

    private func post(_ name: String, _ spec: JSONValue) throws -> (Int, JSONValue) {
        try h.json("POST", "/api/v1/namespaces/default/services", body: service(name, spec))
    }

    private func message(_ body: JSONValue) -> String { body["message"]?.stringValue ?? "" }

    // pkg/registry/core/service/storage/rest.go (v1.20.15) allocClusterIPs: a requested IP goes through
    // ipallocator Allocate, whose ErrNotInRange / ErrAllocated (pkg/registry/core/service/ipallocator/allocator.go)
    // are wrapped as field.Invalid(spec.clusterIPs, service.Spec.ClusterIPs, "failed to allocated ip:%v with error:%v").
    func testClusterIPAllocatedFromRangeCheckedAndReleased() throws {
        let ports: JSONValue = [["port": 80]]
        var (status, a) = try post("a", ["ports": ports])
        XCTAssertEqual(status, 201)
        let ip = a[path: "spec", "clusterIP"]?.stringValue ?? ""
        XCTAssertTrue(ip.hasPrefix("10.9") || ip.hasPrefix("10.10") || ip.hasPrefix("10.11"), ip)
        XCTAssertEqual(a[path: "spec", "clusterIPs"], [.string(ip)])
        XCTAssertNil(a[path: "metadata", "generation"], "1.20 sets no generation on Services")

        (status, a) = try post("out", ["clusterIP": "10.0.0.5", "ports": ports])
        XCTAssertEqual(status, 422)
        XCTAssertEqual(message(a), "Service \"out\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.5\"}: "
            + "failed to allocated ip:10.0.0.5 with error:provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12")

        (status, a) = try post("dup", ["clusterIP": .string(ip), "ports": ports])
        XCTAssertEqual(status, 422)
        XCTAssertEqual(message(a), "Service \"dup\" is invalid: spec.clusterIPs: Invalid value: []string{\"\(ip)\"}: "
            + "failed to allocated ip:\(ip) with error:provided IP is already allocated")

        XCTAssertEqual(try h.json("DELETE", "/api/v1/namespaces/default/services/a").0, 200)
        (status, a) = try post("dup", ["clusterIP": .string(ip), "ports": ports])
        XCTAssertEqual(status, 201, "a deleted Service's IP is released")
        XCTAssertEqual(a[path: "spec", "clusterIPs"], [.string(ip)])

        (status, a) = try post("fixed", ["clusterIP": "10.100.1.2", "ports": ports])
        XCTAssertEqual(status, 201)
        XCTAssertEqual(a[path: "spec", "clusterIP"]?.stringValue, "10.100.1.2")
    }

    // pkg/apis/core/v1/defaults.go SetDefaults_Service / rest.go: headless keeps clusterIPs ["None"].
    func testHeadlessServiceStoresClusterIPsNone() throws {
        let (status, a) = try post("headless", ["clusterIP": "None", "selector": ["app": "x"]])
        XCTAssertEqual(status, 201)
        XCTAssertEqual(a[path: "spec", "clusterIP"]?.stringValue, "None")
        XCTAssertEqual(a[path: "spec", "clusterIPs"], ["None"])
    }

    // rest.go initNodePorts (v1.20.15): field.Invalid(spec.ports[i].nodePort, servicePort.NodePort, err.Error())
    // with portallocator's ErrNotInRange ("provided port is not in the valid range. The range of valid ports is %s")
    // and ErrAllocated ("provided port is already allocated"), pkg/registry/core/service/portallocator/allocator.go.
    // SetDefaults_Service (pkg/apis/core/v1/defaults.go) defaults externalTrafficPolicy to Cluster for NodePort/LoadBalancer.
    func testNodePortsAllocatedCheckedAndReleased() throws {
        var (status, a) = try post("np", ["type": "NodePort", "ports": [["port": 80]]])
        XCTAssertEqual(status, 201)
        let np = a[path: "spec", "ports"]?[0]?["nodePort"]?.intValue ?? 0
        XCTAssertTrue((30000...32767).contains(np), "\(np)")
        XCTAssertEqual(a[path: "spec", "externalTrafficPolicy"]?.stringValue, "Cluster")

        (status, a) = try post("lb", ["type": "LoadBalancer", "ports": [["name": "a", "port": 80], ["name": "b", "port": 81]]])
        XCTAssertEqual(status, 201)
        let lbPorts = (a[path: "spec", "ports"]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue }
        XCTAssertEqual(lbPorts.count, 2)
        XCTAssertFalse(lbPorts.contains(np))
        XCTAssertEqual(Set(lbPorts).count, 2)
        XCTAssertEqual(a[path: "spec", "externalTrafficPolicy"]?.stringValue, "Cluster")

        (status, a) = try post("low", ["type": "NodePort", "ports": [["port": 80, "nodePort": 80]]])
        XCTAssertEqual(status, 422)
        XCTAssertEqual(message(a), "Service \"low\" is invalid: spec.ports[0].nodePort: Invalid value: 80: "
            + "provided port is not in the valid range. The range of valid ports is 30000-32767")

        (status, a) = try post("taken", ["type": "NodePort", "ports": [["port": 80, "nodePort": .int(np)]]])
        XCTAssertEqual(status, 422)
        XCTAssertEqual(message(a), "Service \"taken\" is invalid: spec.ports[0].nodePort: Invalid value: \(np): provided port is already allocated")

        XCTAssertEqual(try h.json("DELETE", "/api/v1/namespaces/default/services/np").0, 200)
        (status, a) = try post("taken", ["type": "NodePort", "ports": [["port": 80, "nodePort": .int(np)]]])
        XCTAssertEqual(status, 201, "a deleted Service's nodePort is released")
        XCTAssertEqual(a[path: "spec", "ports"]?[0]?["nodePort"]?.intValue, np)

        (status, a) = try post("plain", ["ports": [["port": 80]]])
        XCTAssertNil(a[path: "spec", "ports"]?[0]?["nodePort"])
        XCTAssertNil(a[path: "spec", "externalTrafficPolicy"])
    }

    // rest.go Update, patchAllocatedValues (v1.20.15): a PUT that leaves clusterIP/clusterIPs or a port's nodePort
    // out keeps the allocated ones; the Service strategy never sets metadata.generation
    // (pkg/registry/core/service/strategy.go has no generation handling).
    func testPutWithoutAllocatedValuesCarriesThemForward() throws {
        let (status, a) = try post("np", ["type": "NodePort", "selector": ["app": "x"], "ports": [["port": 80]]])
        XCTAssertEqual(status, 201)
        var body = service("np", ["type": "NodePort", "selector": ["app": "y"], "ports": [["port": 80]]])
        body["metadata"]?["resourceVersion"] = a[path: "metadata", "resourceVersion"]
        let (s2, b) = try h.json("PUT", "/api/v1/namespaces/default/services/np", body: body)
        XCTAssertEqual(s2, 200, message(b))
        XCTAssertEqual(b[path: "spec", "clusterIP"], a[path: "spec", "clusterIP"])
        XCTAssertEqual(b[path: "spec", "clusterIPs"], a[path: "spec", "clusterIPs"])
        XCTAssertEqual(b[path: "spec", "ports"]?[0]?["nodePort"], a[path: "spec", "ports"]?[0]?["nodePort"])
        XCTAssertEqual(b[path: "spec", "selector", "app"]?.stringValue, "y")
        XCTAssertNil(b[path: "metadata", "generation"])
    }

    // kubectl 1.32 `create service nodeport` wraps the message of rest.go initNodePorts' Invalid Status (v1.20.15).
    func testKubectlCreateServiceNodePortChecksRange() throws {
        var out = try h.kubectl("create", "service", "nodeport", "web", "--tcp=80:8080", "--node-port=80")
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.errors, "error: failed to create NodePort service: Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 80: "
            + "provided port is not in the valid range. The range of valid ports is 30000-32767")
        out = try h.kubectl("create", "service", "nodeport", "web", "--tcp=80:8080", "--node-port=30080")
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try h.kubectl("get", "service", "web", "-o", "jsonpath={.spec.ports[0].nodePort} {.spec.externalTrafficPolicy}")
        XCTAssertEqual(out.stdout, "30080 Cluster")
    }
}
