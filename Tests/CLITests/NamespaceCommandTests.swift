import XCTest
import ObjectModel

final class NamespaceCommandTests: XCTestCase {
    func testAddLabelsAndAnnotatesKeepingOthers() throws {
        let h = try ClusterHarness()
        try h.createNamespace("curl", labels: ["team": "a"], annotations: ["note": "keep"])
        let r = try h.osm(["namespace", "add", "curl"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "Namespace [curl] successfully added to mesh [osm]\n")
        let ns = try XCTUnwrap(h.namespace("curl"))
        XCTAssertEqual(ns[path: "metadata", "labels", "team"], "a")
        XCTAssertEqual(ns[path: "metadata", "labels", "openservicemesh.io/monitored-by"], "osm")
        XCTAssertEqual(ns[path: "metadata", "annotations", "openservicemesh.io/sidecar-injection"], "enabled")
        XCTAssertEqual(ns[path: "metadata", "annotations", "note"], "keep")
        // No control plane of mesh "osm" exists: warned, still enrolled.
        XCTAssertTrue(r.stderr.contains("mesh name [osm]"), r.stderr)

        // Adding twice is a success; --disable-sidecar-injection removes the annotation.
        let again = try h.osm(["namespace", "add", "curl", "--mesh-name", "m2", "--disable-sidecar-injection"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let after = try XCTUnwrap(h.namespace("curl"))
        XCTAssertEqual(after[path: "metadata", "labels", "openservicemesh.io/monitored-by"], "m2")
        XCTAssertNil(after[path: "metadata", "annotations", "openservicemesh.io/sidecar-injection"])
        XCTAssertEqual(after[path: "metadata", "annotations", "note"], "keep")
    }

    func testAddManyGoesOnPastAFailureAndReportsInOrder() throws {
        let h = try ClusterHarness()
        for n in ["a1", "a2", "a3", "a4"] { try h.createNamespace(n) }
        let r = try h.osm(["namespace", "add", "a1", "a2", "nope", "a3", "a4"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.stdout, ["a1", "a2", "a3", "a4"].map { "Namespace [\($0)] successfully added to mesh [osm]\n" }.joined())
        XCTAssertTrue(r.stderr.contains("Error: Could not add namespace [nope] to mesh [osm]: namespaces \"nope\" not found"), r.stderr)
        for n in ["a1", "a2", "a3", "a4"] {
            XCTAssertEqual(h.namespace(n)?[path: "metadata", "labels", "openservicemesh.io/monitored-by"], "osm", n)
        }
        // In one log (2>&1) the lines keep the order the namespaces were given in.
        let log = try h.osm(["namespace", "add", "a1", "a2", "nope", "a3"], combined: true)
        XCTAssertEqual(log.stdout.split(separator: "\n").map(String.init), [
            "Warning: no OSM control plane with mesh name [osm] was found in the cluster; the namespaces are enrolled and will be picked up once that mesh is installed",
            "Namespace [a1] successfully added to mesh [osm]",
            "Namespace [a2] successfully added to mesh [osm]",
            "Error: Could not add namespace [nope] to mesh [osm]: namespaces \"nope\" not found",
            "Namespace [a3] successfully added to mesh [osm]",
        ])
    }

    func testAddRefusesInvalidNamesBeforeAnyRequest() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["namespace", "list"]).stdout, "No namespaces in any mesh\n")
        h.sim.clearRequestLog()
        let r = try h.osm(["namespace", "add", "Bad_Name"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.hasPrefix("Error: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("Bad_Name"), r.stderr)
        XCTAssertTrue(h.sim.requestLog.isEmpty, "\(h.sim.requestLog)")
        let badMesh = try h.osm(["namespace", "add", "curl", "--mesh-name", "bad mesh"])
        XCTAssertNotEqual(badMesh.status, 0)
        XCTAssertTrue(badMesh.stderr.contains("Invalid mesh-name [bad mesh]"), badMesh.stderr)
        XCTAssertTrue(h.sim.requestLog.isEmpty, "\(h.sim.requestLog)")
    }

    func testAddSkipsANamespaceHoldingAController() throws {
        let h = try ClusterHarness()
        try h.createNamespace("cp")
        try h.sim.put(Self.controllerDeployment(namespace: "cp", mesh: "osm"))
        let r = try h.osm(["namespace", "add", "cp"])
        XCTAssertEqual(r.stdout, "Namespace [cp] already has [osm-controller] installed and cannot be added to mesh [osm]\n")
        XCTAssertNil(h.namespace("cp")?[path: "metadata", "labels", "openservicemesh.io/monitored-by"])
        XCTAssertFalse(r.stderr.contains("Warning"), "the mesh exists, no warning expected: \(r.stderr)")
    }

    func testRemoveListAndIgnore() throws {
        let h = try ClusterHarness()
        try h.createNamespace("n1")
        try h.createNamespace("n2")
        try h.createNamespace("other", labels: ["openservicemesh.io/monitored-by": "m2"])
        try h.createNamespace("plain")

        XCTAssertEqual(try h.osm(["namespace", "list", "--mesh-name", "nomesh"]).stdout, "No namespaces in mesh [nomesh]\n")
        XCTAssertEqual(try h.osm(["namespace", "list", "--mesh-name", "osm"]).stdout, "No namespaces in mesh [osm]\n")
        XCTAssertEqual(try h.osm(["namespace", "add", "n1", "n2"]).status, 0)
        _ = try h.osm(["namespace", "add", "n2", "--disable-sidecar-injection"])

        let table = try h.osm(["namespace", "list", "--mesh-name", "osm"])
        XCTAssertEqual(table.status, 0, table.stderr)
        // Upstream: "NAMESPACE\tMESH\tSIDECAR-INJECTION\t" and "%s\t%s\t%s\t\n": every cell padded.
        XCTAssertEqual(table.stdout,
            "NAMESPACE   MESH   SIDECAR-INJECTION   \n" +
            "n1          osm    enabled             \n" +
            "n2          osm    -                   \n")

        let all = try h.osm(["namespace", "list", "-o", "json"])
        let json = try JSONValue(parsing: all.stdout)
        XCTAssertEqual(json.arrayValue?.count, 3, all.stdout)

        let wrongMesh = try h.osm(["namespace", "remove", "other"])
        XCTAssertNotEqual(wrongMesh.status, 0)
        XCTAssertTrue(wrongMesh.stderr.contains("Namespace belongs to mesh [m2], not mesh [osm]. Please specify the correct mesh"), wrongMesh.stderr)

        let notIn = try h.osm(["namespace", "remove", "plain"])
        XCTAssertEqual(notIn.status, 0)
        XCTAssertEqual(notIn.stdout, "Namespace [plain] already does not belong to any mesh\n")

        let removed = try h.osm(["namespace", "remove", "n1"])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertEqual(removed.stdout, "Namespace [n1] successfully removed from mesh [osm]\n")
        XCTAssertNil(h.namespace("n1")?[path: "metadata", "labels", "openservicemesh.io/monitored-by"])
        XCTAssertNil(h.namespace("n1")?[path: "metadata", "annotations", "openservicemesh.io/sidecar-injection"])

        let missing = try h.osm(["namespace", "remove", "ghost"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("Could not get namespace [ghost]: namespaces \"ghost\" not found"), missing.stderr)

        let ignored = try h.osm(["namespace", "ignore", "plain", "ghost", "n2"])
        XCTAssertNotEqual(ignored.status, 0)
        XCTAssertEqual(ignored.stdout, "Successfully configured namespace [plain] to be ignored\nSuccessfully configured namespace [n2] to be ignored\n")
        XCTAssertTrue(ignored.stderr.contains("ghost"), ignored.stderr)
        XCTAssertEqual(h.namespace("plain")?[path: "metadata", "labels", "openservicemesh.io/ignore"], "true")
    }

    static func controllerDeployment(namespace: String, mesh: String, tag: String = "v0.8.3") -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": [
                "name": "osm-controller", "namespace": .string(namespace),
                "labels": ["app": "osm-controller", "meshName": .string(mesh),
                           "app.kubernetes.io/instance": .string(mesh), "app.kubernetes.io/name": "openservicemesh.io"],
            ],
            "spec": [
                "replicas": 1,
                "selector": ["matchLabels": ["app": "osm-controller"]],
                "template": [
                    "metadata": ["labels": ["app": "osm-controller"]],
                    "spec": ["containers": [["name": "osm-controller", "image": .string("openservicemesh/osm-controller:\(tag)")]]],
                ],
            ],
        ]
    }
}
