import Foundation
import XCTest
import ObjectModel

/// `osm policy check-pods` against kube-sim, bytes as upstream's cmd/cli/trafficpolicy_check.go
/// prints them (its yaml.v2 dump of the TrafficTarget included).
final class PolicyCheckPodsTests: XCTestCase {
    static func trafficTarget(_ name: String, in ns: String, destination: (String, String), sources: [(String, String)],
                              kind: String = "ServiceAccount") -> JSONValue {
        [
            "apiVersion": "access.smi-spec.io/v1alpha3", "kind": "TrafficTarget",
            "metadata": ["name": .string(name), "namespace": .string(ns), "labels": ["team": "store", "app": "bookstore"]],
            "spec": [
                "destination": ["kind": .string(kind), "name": .string(destination.0), "namespace": .string(destination.1)],
                "sources": .array(sources.map { ["kind": "ServiceAccount", "name": .string($0.0), "namespace": .string($0.1)] }),
                "rules": [["kind": "HTTPRouteGroup", "name": "bookstore-service-routes", "matches": ["buy-a-book", "books-bought"]]],
            ],
        ]
    }

    func meshWithPods(permissive: Bool) throws -> ClusterHarness {
        let h = try ClusterHarness.withInstalledMesh(permissive ? ["--enable-permissive-traffic-policy"] : [])
        for ns in ["bookbuyer", "bookstore", "default"] { if h.namespace(ns) == nil { try h.createNamespace(ns) } }
        try h.sim.put(MetricsCommandTests.pod("bookbuyer-client", in: "bookbuyer", meshed: true, serviceAccount: "bookbuyer"))
        try h.sim.put(MetricsCommandTests.pod("bookstore-server", in: "bookstore", meshed: true, serviceAccount: "bookstore"))
        try h.sim.put(MetricsCommandTests.pod("thief", in: "bookbuyer", meshed: true, serviceAccount: "bookthief"))
        try h.sim.put(MetricsCommandTests.pod("outsider", in: "default", meshed: false))
        try h.sim.put(MetricsCommandTests.pod("local", in: "default", meshed: true))
        return h
    }

    func testPermissiveModeAllowsEveryMeshedPod() throws {
        let h = try meshWithPods(permissive: true)
        let r = try h.osm(["policy", "check-pods", "bookbuyer/thief", "bookstore/bookstore-server"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout,
            "[+] Permissive mode enabled for mesh operated by osm-controller running in 'osm-system' namespace\n\n" +
            " [+] Pod 'bookbuyer/thief' is allowed to communicate to pod 'bookstore/bookstore-server'\n")
    }

    func testSMIModeFindsTheTrafficTargetAndPrintsItAsUpstreamDoes() throws {
        let h = try meshWithPods(permissive: false)
        try h.sim.put(Self.trafficTarget("bookstore-access", in: "bookstore", destination: ("bookstore", "bookstore"),
                                         sources: [("bookbuyer", "bookbuyer"), ("other", "bookbuyer")]))
        try h.sim.put(Self.trafficTarget("by-name-only", in: "bookstore", destination: ("bookstore", "bookstore"),
                                         sources: [("bookbuyer", "bookbuyer")], kind: "Pod"))
        let stored = try XCTUnwrap(h.sim.object(group: "access.smi-spec.io", version: "v1alpha3", resource: "traffictargets",
                                                namespace: "bookstore", name: "bookstore-access"))
        let uid = stored[path: "metadata", "uid"]?.stringValue ?? ""
        let resourceVersion = stored[path: "metadata", "resourceVersion"]?.stringValue ?? ""
        let created = stored[path: "metadata", "creationTimestamp"]?.stringValue ?? ""
        let generation = stored[path: "metadata", "generation"]?.intValue ?? 0
        XCTAssertFalse(uid.isEmpty || resourceVersion.isEmpty || created.isEmpty, "\(stored)")

        let r = try h.osm(["policy", "check-pods", "bookbuyer/bookbuyer-client", "bookstore/bookstore-server"], env: ["TZ": "UTC"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
            [+] SMI traffic policy mode enabled for mesh operated by osm-controller running in osm-system namespace

            [+] Pod 'bookbuyer/bookbuyer-client' is allowed to communicate to pod 'bookstore/bookstore-server' via the SMI TrafficTarget policy "bookstore-access":
            ---
            typemeta:
              kind: TrafficTarget
              apiversion: access.smi-spec.io/v1alpha3
            objectmeta:
              name: bookstore-access
              generatename: ""
              namespace: bookstore
              selflink: ""
              uid: \(uid)
              resourceversion: "\(resourceVersion)"
              generation: \(generation)
              creationtimestamp: "\(created)"
              deletiontimestamp: null
              deletiongraceperiodseconds: null
              labels:
                app: bookstore
                team: store
              annotations: {}
              ownerreferences: []
              finalizers: []
              clustername: ""
              managedfields: []
            spec:
              destination:
                kind: ServiceAccount
                name: bookstore
                namespace: bookstore
              sources:
              - kind: ServiceAccount
                name: bookbuyer
                namespace: bookbuyer
              - kind: ServiceAccount
                name: other
                namespace: bookbuyer
              rules:
              - kind: HTTPRouteGroup
                name: bookstore-service-routes
                matches:
                - buy-a-book
                - books-bought

            ---

            """)

        // Another service account in the same namespace is not a source.
        let denied = try h.osm(["policy", "check-pods", "bookbuyer/thief", "bookstore/bookstore-server"])
        XCTAssertEqual(denied.status, 0, denied.stderr)
        XCTAssertEqual(denied.stdout,
            "[+] SMI traffic policy mode enabled for mesh operated by osm-controller running in osm-system namespace\n\n" +
            "[+] Pod 'bookbuyer/thief' is not allowed to communicate to pod 'bookstore/bookstore-server', missing SMI TrafficTarget policy\n")

        // metav1.Time decodes to local time: yaml.v2 prints it with the local offset.
        let india = try h.osm(["policy", "check-pods", "bookbuyer/bookbuyer-client", "bookstore/bookstore-server"], env: ["TZ": "Asia/Kolkata"])
        let line = india.stdout.split(separator: "\n").first { $0.contains("creationtimestamp") }.map(String.init) ?? ""
        XCTAssertTrue(line.hasPrefix("  creationtimestamp: \"") && line.hasSuffix("+05:30\""), line)
    }

    func testUpstreamErrors() throws {
        let h = try meshWithPods(permissive: false)
        let cases: [([String], String)] = [
            (["", "bookstore/bookstore-server"], "Error: Invalid argument specified for the source pod: Pod name should be of the form <namespace/pod>, or <pod> for default namespace, cannot be empty\n"),
            (["local", "a/b/c"], "Error: Invalid argument specified for the destination pod: Pod name should be of the form <namespace/pod>, or <pod> for default namespace, got: a/b/c\n"),
            (["nope", "local"], "Error: Could not find pod nope in namespace default\n"),
            (["local", "outsider"], "Error: Pod outsider in namespace default is not a part of a mesh\n"),
        ]
        for (arguments, expected) in cases {
            let r = try h.osm(["policy", "check-pods"] + arguments)
            XCTAssertEqual(r.status, 1, "\(arguments)")
            XCTAssertEqual(r.stderr, expected, "\(arguments)")
            XCTAssertEqual(r.stdout, "", "\(arguments)")
        }
        XCTAssertEqual(try h.kubectl(["patch", "configmap", "osm-config", "-n", "osm-system", "--type=merge",
                                      "-p", #"{"data":{"permissive_traffic_policy_mode":"maybe"}}"#]).status, 0)
        let invalid = try h.osm(["policy", "check-pods", "local", "bookbuyer/thief"])
        XCTAssertEqual(invalid.status, 1)
        XCTAssertEqual(invalid.stderr, "Error: Error checking if permissive mode is enabled: Invalid value for key \"permissive_traffic_policy_mode\" in osm-system/osm-config ConfigMap: strconv.ParseBool: parsing \"maybe\": invalid syntax\n")
        let elsewhere = try h.osm(["policy", "check-pods", "local", "bookbuyer/thief", "--osm-namespace", "nowhere"])
        XCTAssertEqual(elsewhere.stderr, "Error: Error checking if permissive mode is enabled: Error checking if permissive mode is enabled: configmaps \"osm-config\" not found\n")
        let arity = try h.osm(["policy", "check-pods", "local"])
        XCTAssertEqual(arity.status, 1, "cobra.ExactArgs(2)")
    }
}
