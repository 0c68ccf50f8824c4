import Foundation
import XCTest
import ObjectModel

/// `osm metrics enable|disable` against kube-sim, with upstream's messages (cmd/cli/metrics_*.go).
final class MetricsCommandTests: XCTestCase {
    static func pod(_ name: String, in ns: String, meshed: Bool, serviceAccount: String = "default") -> JSONValue {
        var labels: JSONObject = ["app": .string(name)]
        if meshed { labels["osm-proxy-uuid"] = "5f1c3a0e-0000-4000-8000-000000000001" }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": .string(ns), "labels": .object(labels)],
            "spec": ["serviceAccountName": .string(serviceAccount), "containers": [["name": "app", "image": "busybox"]]],
        ]
    }

    func pod(_ h: ClusterHarness, _ name: String, in ns: String) -> JSONValue? {
        h.sim.object(group: "", version: "v1", resource: "pods", namespace: ns, name: name)
    }

    func testEnableAndDisableAnnotateNamespaceAndMeshedPods() throws {
        let h = try ClusterHarness.withInstalledMesh()
        try h.createNamespace("bookstore")
        try h.createNamespace("bookbuyer")
        XCTAssertEqual(try h.osm(["namespace", "add", "bookstore", "bookbuyer"]).status, 0)
        try h.sim.put(Self.pod("meshed", in: "bookstore", meshed: true))
        try h.sim.put(Self.pod("plain", in: "bookstore", meshed: false))
        try h.sim.put(Self.pod("buyer", in: "bookbuyer", meshed: true))

        let enable = try h.osm(["metrics", "enable", "--namespace", "bookstore, bookbuyer"])
        XCTAssertEqual(enable.status, 0, enable.stderr)
        XCTAssertEqual(enable.stdout, "Metrics successfully enabled in namespace [bookstore]\nMetrics successfully enabled in namespace [bookbuyer]\n")
        XCTAssertEqual(enable.stderr, "")
        for ns in ["bookstore", "bookbuyer"] {
            XCTAssertEqual(h.namespace(ns)?[path: "metadata", "annotations", "openservicemesh.io/metrics"]?.stringValue, "enabled")
        }
        for (name, ns) in [("meshed", "bookstore"), ("buyer", "bookbuyer")] {
            let annotations = pod(h, name, in: ns)?[path: "metadata", "annotations"]
            XCTAssertEqual(annotations?["prometheus.io/scrape"]?.stringValue, "true")
            XCTAssertEqual(annotations?["prometheus.io/port"]?.stringValue, "15010")
            XCTAssertEqual(annotations?["prometheus.io/path"]?.stringValue, "/stats/prometheus")
        }
        XCTAssertNil(pod(h, "plain", in: "bookstore")?[path: "metadata", "annotations", "prometheus.io/scrape"])

        // Repeated --namespace flags add up, as a pflag string slice.
        let disable = try h.osm(["metrics", "disable", "--namespace", "bookstore", "--namespace=bookbuyer"])
        XCTAssertEqual(disable.status, 0, disable.stderr)
        XCTAssertEqual(disable.stdout, "Metrics successfully disabled in namespace [bookstore]\nMetrics successfully disabled in namespace [bookbuyer]\n")
        XCTAssertNil(h.namespace("bookstore")?[path: "metadata", "annotations", "openservicemesh.io/metrics"])
        XCTAssertNil(pod(h, "meshed", in: "bookstore")?[path: "metadata", "annotations", "prometheus.io/scrape"])
        XCTAssertNil(pod(h, "buyer", in: "bookbuyer")?[path: "metadata", "annotations", "prometheus.io/port"])
        XCTAssertNil(pod(h, "buyer", in: "bookbuyer")?[path: "metadata", "annotations", "prometheus.io/path"])

        let none = try h.osm(["metrics", "enable"])
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertEqual(none.stdout, "", "no --namespace: nothing to do, as upstream")
    }

    func testUpstreamErrorsStopAtTheFirstFailingNamespace() throws {
        let h = try ClusterHarness.withInstalledMesh()
        try h.createNamespace("inmesh", labels: ["openservicemesh.io/monitored-by": "osm"])
        try h.createNamespace("plain")
        try h.createNamespace("ghostly", labels: ["openservicemesh.io/monitored-by": "ghost"])
        try h.createNamespace("blank", labels: ["openservicemesh.io/monitored-by": ""])

        let notInMesh = try h.osm(["metrics", "enable", "--namespace", "inmesh,plain,ghostly"])
        XCTAssertEqual(notInMesh.status, 1)
        XCTAssertEqual(notInMesh.stdout, "Metrics successfully enabled in namespace [inmesh]\n")
        XCTAssertEqual(notInMesh.stderr, "Error: Namespace [plain] does not belong to a mesh, missing annotation \"openservicemesh.io/monitored-by\"\n")
        XCTAssertNil(h.namespace("ghostly")?[path: "metadata", "annotations", "openservicemesh.io/metrics"])

        let ghost = try h.osm(["metrics", "disable", "--namespace", "ghostly"])
        XCTAssertEqual(ghost.status, 1)
        XCTAssertEqual(ghost.stderr, "Error: Invalid mesh name \"ghost\" used with label \"openservicemesh.io/monitored-by\" on namespace \"ghostly\", must be one of [osm]\n")

        let blank = try h.osm(["metrics", "enable", "--namespace", "blank"])
        XCTAssertEqual(blank.stderr, "Error: Label \"openservicemesh.io/monitored-by\" on namespace \"blank\" cannot be empty\n")

        let missing = try h.osm(["metrics", "enable", "--namespace", "nope"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "Error: Failed to retrieve namespace [nope]: namespaces \"nope\" not found\n")

        let positional = try h.osm(["metrics", "enable", "inmesh"])
        XCTAssertEqual(positional.status, 1, "upstream takes no arguments (cobra.NoArgs)")
    }
}
