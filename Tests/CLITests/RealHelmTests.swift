import Foundation
import KubeSim
import XCTest
import ObjectModel
import YAMLCodec

/// Helm v3.8.1 itself (scripts/fetch-helm.sh; `Tools.helm`) reads, rolls back, upgrades and
/// uninstalls the release records osm writes, on kube-sim: Helm is the judge of the record
/// format. Each check asserts what Helm prints, not only that it succeeded.
final class RealHelmTests: XCTestCase {
    let ns = "osm-system"

    /// `helm ARGS`, which must succeed; its stdout.
    @discardableResult
    func helm(_ h: ClusterHarness, _ args: String..., file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try h.helm(args, file: file, line: line)
        XCTAssertEqual(r.status, 0, "helm \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return r.stdout
    }

    /// `helm ARGS -o json`, parsed.
    func helmJSON(_ h: ClusterHarness, _ args: String..., file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let r = try h.helm(args + ["-o", "json"], file: file, line: line)
        XCTAssertEqual(r.status, 0, "helm \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return try JSONValue(parsing: r.stdout)
    }

    /// `helm history` as (revision, status, chart, app version, description) rows.
    func history(_ h: ClusterHarness, file: StaticString = #filePath, line: UInt = #line) throws -> [[String]] {
        try (helmJSON(h, "history", "osm", "-n", ns, file: file, line: line).arrayValue ?? []).map { e in
            [e["revision"]?.intValue.map(String.init) ?? "?", e["status"]?.stringValue ?? "?", e["chart"]?.stringValue ?? "?",
             e["app_version"]?.stringValue ?? "?", e["description"]?.stringValue ?? "?"]
        }
    }

    func osmOK(_ h: ClusterHarness, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try h.osm(args, file: file, line: line)
        XCTAssertEqual(r.status, 0, "osm \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
    }

    /// kind/name of each document of a manifest as Helm prints it.
    func objects(inManifest text: String) throws -> Set<String> {
        Set(try YAML.parseDocuments(text).compactMap { d -> String? in
            guard let kind = d["kind"]?.stringValue, let name = d[path: "metadata", "name"]?.stringValue else { return nil }
            return "\(kind)/\(name)"
        })
    }

    func testHelmReadsTheRecordsOfAnOsmInstallAndUpgrade() throws {
        let h = try ClusterHarness.withInstalledMesh(["--enable-egress"])
        try osmOK(h, ["mesh", "upgrade", "--envoy-log-level", "debug"])

        let list = try helmJSON(h, "list", "-n", ns)
        XCTAssertEqual(list.arrayValue?.count, 1, "\(list)")
        let entry = try XCTUnwrap(list.arrayValue?.first)
        XCTAssertEqual(entry["name"], "osm")
        XCTAssertEqual(entry["namespace"], .string(ns))
        XCTAssertEqual(entry["revision"], "2")
        XCTAssertEqual(entry["status"], "deployed")
        XCTAssertEqual(entry["chart"], "osm-0.8.4")
        XCTAssertEqual(entry["app_version"], "v0.8.4")
        // The table a user reads: one row, under Helm's own header.
        let table = try helm(h, "list", "--all-namespaces").split(separator: "\n").map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } }
        XCTAssertEqual(table.count, 2, "\(table)")
        XCTAssertEqual(table.first, ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"])
        XCTAssertEqual(table.last.map { [$0[0], $0[1], $0[2], $0[4], $0[5], $0[6]] }, ["osm", ns, "2", "deployed", "osm-0.8.4", "v0.8.4"])

        XCTAssertEqual(try history(h), [["1", "superseded", "osm-0.8.4", "v0.8.4", "Install complete"],
                                        ["2", "deployed", "osm-0.8.4", "v0.8.4", "Upgrade complete"]])

        let status = try helmJSON(h, "status", "osm", "-n", ns)
        XCTAssertEqual(status["name"], "osm")
        XCTAssertEqual(status["version"], 2)
        XCTAssertEqual(status["namespace"], .string(ns))
        XCTAssertEqual(status[path: "info", "status"], "deployed")
        XCTAssertEqual(status[path: "info", "description"], "Upgrade complete")
        XCTAssertNil(status["chart"], "helm status leaves the chart out")
        let text = try helm(h, "status", "osm", "-n", ns)
        XCTAssertTrue(text.hasPrefix("NAME: osm\nLAST DEPLOYED: "), text)
        XCTAssertTrue(text.contains("\nNAMESPACE: \(ns)\nSTATUS: deployed\nREVISION: 2\n"), text)
        // The notes osm stored, as Helm shows them.
        XCTAssertTrue(text.contains("NOTES:\n"), text)

        // The values the user set, as upstream's osm handed them to Helm; revision 1 keeps its own.
        let values = try helmJSON(h, "get", "values", "osm", "-n", ns)
        XCTAssertEqual(values[path: "OpenServiceMesh", "enableEgress"], true)
        XCTAssertEqual(values[path: "OpenServiceMesh", "envoyLogLevel"], "debug")
        XCTAssertEqual(values[path: "OpenServiceMesh", "meshName"], "osm")
        XCTAssertEqual(values[path: "OpenServiceMesh", "image", "tag"], "v0.8.4")
        let first = try helmJSON(h, "get", "values", "osm", "-n", ns, "--revision", "1")
        XCTAssertEqual(first[path: "OpenServiceMesh", "envoyLogLevel"], "error")
        XCTAssertEqual(first[path: "OpenServiceMesh", "enableEgress"], true)
        // --all: over the chart's own values, which the record carries.
        let all = try helmJSON(h, "get", "values", "osm", "-n", ns, "--all")
        XCTAssertEqual(all[path: "OpenServiceMesh", "envoyLogLevel"], "debug")
        XCTAssertNotNil(all[path: "OpenServiceMesh", "osmcontroller"], "the chart's defaults: \(all)")

        // The manifest names exactly the objects Helm owns in the cluster, each from its template.
        let manifest = try helm(h, "get", "manifest", "osm", "-n", ns)
        XCTAssertTrue(manifest.contains("# Source: osm/templates/osm-deployment.yaml\n"), manifest)
        XCTAssertEqual(try objects(inManifest: manifest), h.helmOwned(release: "osm", ns: ns))
        XCTAssertTrue(try objects(inManifest: manifest).contains("Deployment/osm-controller"))
    }

    /// Record writes that fail after osm-config changed (issue 25): Helm's history still has a
    /// deployed revision, the one whose values the cluster holds.
    func testHelmHistoryKeepsADeployedRevisionWhenRecordWritesFail() throws {
        let h = try ClusterHarness.withInstalledMesh()
        // The next revision cannot be written: revision 1 stays deployed, osm-config as it was.
        h.sim.setFaults([FaultRule(method: "POST", path: "/secrets$", status: 500, message: "injected")])
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--enable-egress"]).status, 1)
        h.sim.setFaults([])
        XCTAssertEqual(try history(h).map { [$0[0], $0[1]] }, [["1", "deployed"]])
        XCTAssertEqual(h.configMap("osm-config", in: ns)?[path: "data", "egress"], "false")
        // The change fails and revision 1 cannot be marked deployed again: revision 2 stays deployed.
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/configmaps/osm-config$", status: 500, message: "injected"),
                         FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.osm\\.v1$", skip: 1, status: 500, message: "also injected")])
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--enable-egress"]).status, 1)
        h.sim.setFaults([])
        XCTAssertEqual(try history(h).map { [$0[0], $0[1]] }, [["1", "superseded"], ["2", "deployed"]])
        // The next run makes the change and records it.
        try osmOK(h, ["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(try history(h).map { [$0[0], $0[1]] }, [["1", "superseded"], ["2", "superseded"], ["3", "deployed"]])
        XCTAssertEqual(try helmJSON(h, "get", "values", "osm", "-n", ns)[path: "OpenServiceMesh", "enableEgress"], true)
        XCTAssertEqual(h.configMap("osm-config", in: ns)?[path: "data", "egress"], "true")
    }

    func testHelmRollbackToAnOsmRevisionThenOsmUpgradesOnTop() throws {
        let h = try ClusterHarness.withInstalledMesh()
        try osmOK(h, ["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(h.configMap("osm-config", in: ns)?[path: "data", "egress"], "true")

        let out = try helm(h, "rollback", "osm", "1", "-n", ns)
        XCTAssertTrue(out.contains("Rollback was a success!"), out)
        // Helm applied revision 1's manifest, read from osm's record.
        XCTAssertEqual(h.configMap("osm-config", in: ns)?[path: "data", "egress"], "false")
        XCTAssertEqual(try history(h), [["1", "superseded", "osm-0.8.4", "v0.8.4", "Install complete"],
                                        ["2", "superseded", "osm-0.8.4", "v0.8.4", "Upgrade complete"],
                                        ["3", "deployed", "osm-0.8.4", "v0.8.4", "Rollback to 1"]])

        // osm builds on the revision Helm wrote: its values, the next number.
        let up = try h.osm(["mesh", "upgrade", "--envoy-log-level", "debug"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertEqual(up.stdout, "OSM successfully upgraded mesh osm\n")
        XCTAssertFalse(up.stderr.contains("repair"), up.stderr)
        XCTAssertEqual(try history(h), [["1", "superseded", "osm-0.8.4", "v0.8.4", "Install complete"],
                                        ["2", "superseded", "osm-0.8.4", "v0.8.4", "Upgrade complete"],
                                        ["3", "superseded", "osm-0.8.4", "v0.8.4", "Rollback to 1"],
                                        ["4", "deployed", "osm-0.8.4", "v0.8.4", "Upgrade complete"]])
        let values = try helmJSON(h, "get", "values", "osm", "-n", ns)
        XCTAssertEqual(values[path: "OpenServiceMesh", "enableEgress"], false)
        XCTAssertEqual(values[path: "OpenServiceMesh", "envoyLogLevel"], "debug")
        XCTAssertEqual(h.configMap("osm-config", in: ns)?[path: "data", "envoy_log_level"], "debug")
        XCTAssertEqual(h.configMap("osm-config", in: ns)?[path: "data", "egress"], "false")
        XCTAssertEqual(try helmJSON(h, "list", "-n", ns).arrayValue?.first?["revision"], "4")
    }

    func testHelmUpgradesAnOsmReleaseToAChartOfItsOwnAndUninstallsIt() throws {
        let h = try ClusterHarness.withInstalledMesh()
        let chart = h.dir.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: chart.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try "apiVersion: v2\nname: tiny\nversion: 0.1.0\nappVersion: \"1.2\"\n"
            .write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try "greeting: hello\n".write(to: chart.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        try """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: tiny-{{ .Release.Name }}
              namespace: {{ .Release.Namespace }}
            data:
              greeting: {{ .Values.greeting | quote }}
              revision: {{ .Release.Revision | quote }}

            """.write(to: chart.appendingPathComponent("templates/configmap.yaml"), atomically: true, encoding: .utf8)

        // Validated against kube-sim's /openapi/v2, as against a real server.
        let out = try helm(h, "upgrade", "osm", chart.path, "-n", ns, "--set", "greeting=hi")
        XCTAssertTrue(out.contains("Release \"osm\" has been upgraded. Happy Helming!"), out)
        XCTAssertTrue(out.contains("REVISION: 2"), out)
        XCTAssertEqual(try history(h), [["1", "superseded", "osm-0.8.4", "v0.8.4", "Install complete"],
                                        ["2", "deployed", "tiny-0.1.0", "1.2", "Upgrade complete"]])
        XCTAssertEqual(try helmJSON(h, "get", "values", "osm", "-n", ns), ["greeting": "hi"])
        let tiny = try XCTUnwrap(h.configMap("tiny-osm", in: ns))
        XCTAssertEqual(tiny["data"], ["greeting": "hi", "revision": "2"])
        XCTAssertEqual(tiny[path: "metadata", "labels", "app.kubernetes.io/managed-by"], "Helm")
        // Helm deleted what osm's revision listed and its chart does not.
        XCTAssertNil(h.deployment("osm-controller", in: ns))
        XCTAssertNil(h.configMap("osm-config", in: ns))
        XCTAssertEqual(h.helmOwned(release: "osm", ns: ns), ["ConfigMap/tiny-osm"])

        let un = try helm(h, "uninstall", "osm", "-n", ns)
        XCTAssertEqual(un, "release \"osm\" uninstalled\n")
        XCTAssertTrue(h.helmReleaseSecrets(ns).isEmpty)
        XCTAssertNil(h.configMap("tiny-osm", in: ns))
        XCTAssertEqual(try helmJSON(h, "list", "-n", ns, "--all"), [])
    }

    func testHelmUninstallsAnOsmInstalledMesh() throws {
        let h = try ClusterHarness.withInstalledMesh()
        try osmOK(h, ["mesh", "upgrade", "--enable-egress"])
        XCTAssertFalse(h.helmOwned(release: "osm", ns: ns).isEmpty)

        let un = try helm(h, "uninstall", "osm", "-n", ns)
        XCTAssertEqual(un, "release \"osm\" uninstalled\n")
        XCTAssertTrue(h.helmReleaseSecrets(ns).isEmpty, "every revision deleted")
        XCTAssertEqual(h.helmOwned(release: "osm", ns: ns), [], "every object of the last manifest deleted")
        XCTAssertNil(h.deployment("osm-controller", in: ns))
        XCTAssertEqual(try helmJSON(h, "list", "-n", ns, "--all"), [])
        // osm agrees that the mesh is gone.
        let mesh = try h.osm(["mesh", "list"])
        XCTAssertFalse(mesh.stdout.contains(ns), mesh.stdout)
    }
}
