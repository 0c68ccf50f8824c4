import Foundation
import KubeSim
import XCTest
import ObjectModel
import YAMLCodec

/// Helm 3 release records (upstream osm v0.8 installs through Helm v3.2): what `osm install`
/// writes is decoded by an independent decoder (/usr/bin/python3: base64, gzip, json, yaml, field
/// names as Helm's Go structs' JSON tags), and a release history built by a python script the
/// way Helm builds one is upgraded and uninstalled by osm.
final class HelmReleaseTests: XCTestCase {
    /// Runs a python script (/usr/bin/python3 with yaml; the test fails loudly without it) with
    /// a JSON value on stdin and parses its JSON stdout.
    func python(_ script: String, _ input: JSONValue) throws -> JSONValue {
        let r = try ProcessRunner.run(try Tools.python(importing: "yaml"), ["-c", script], stdin: input.jsonString(), timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try JSONValue(parsing: r.stdout)
    }

    /// Decodes Helm release Secrets as Helm's `decodeRelease` does, with nothing from osm:
    /// the Secret's data is base64 (Kubernetes) of base64 (Helm) of gzip of the release JSON.
    static let decoder = #"""
import sys, json, base64, gzip, yaml
out = []
for s in json.load(sys.stdin):
    helm = base64.b64decode(s["data"]["release"], validate=True)
    raw = base64.b64decode(helm, validate=True)
    assert raw[:3] == b"\x1f\x8b\x08", "not gzip"
    rel = json.loads(gzip.decompress(raw))
    docs = []
    for part in rel.get("manifest", "").split("---\n# Source: ")[1:]:
        source, _, body = part.partition("\n")
        o = yaml.safe_load(body)
        docs.append({"source": source, "kind": o["kind"], "name": o["metadata"]["name"]})
    out.append({"secret": s["metadata"]["name"], "labels": s["metadata"].get("labels", {}),
                "type": s.get("type"), "release": rel, "manifestObjects": docs})
print(json.dumps(out))
"""#

    /// Builds release Secrets as Helm v3.2's secrets driver stores them: Go struct field names,
    /// gzip at best compression, base64, labels name/owner/status/version/modifiedAt; the chart
    /// as Helm's loader keeps it (templates, values, schema and files, data base64).
    static let helmFixture = #"""
import sys, json, base64, gzip
a = json.load(sys.stdin)
b64 = lambda b: base64.b64encode(b).decode()
chart = {
    "metadata": {"name": "osm", "version": "0.8.4", "description": "A Helm chart to install the OSM control plane on Kubernetes",
                 "apiVersion": "v2", "appVersion": "v0.8.4", "type": "application"},
    "lock": None,
    "templates": [{"name": "templates/osm-configmap.yaml", "data": b64(b"apiVersion: v1\nkind: ConfigMap\n")},
                  {"name": "templates/NOTES.txt", "data": b64(b"Congratulations!\n")}],
    "values": {"OpenServiceMesh": {"enableEgress": False, "envoyLogLevel": "error", "image": {"registry": "openservicemesh", "tag": "v0.8.4"},
                                   "osmcontroller": {"resource": {"limits": {"cpu": "1.5", "memory": "512M"}}}}},
    "schema": b64(b'{"$schema": "http://json-schema.org/draft-07/schema#"}'),
    "files": [{"name": "crds/access.yaml", "data": b64(b"kind: CustomResourceDefinition\n")},
              {"name": "README.md", "data": b64(b"# osm\n")}],
}
out = []
for r in a["revisions"]:
    rel = {"name": a["name"],
           "info": {"first_deployed": "2021-06-01T10:00:00.123456789-07:00", "last_deployed": r["last_deployed"],
                    "deleted": "", "description": r["description"], "status": r["status"],
                    "notes": "Congratulations! The OSM control plane has been installed in your Kubernetes cluster!\n"},
           "chart": chart, "config": r["config"], "manifest": a["manifest"], "version": r["version"], "namespace": a["namespace"]}
    enc = b64(gzip.compress(json.dumps(rel, separators=(",", ":")).encode(), compresslevel=9))
    out.append({"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                "metadata": {"name": "sh.helm.release.v1.%s.v%d" % (a["name"], r["version"]), "namespace": a["namespace"],
                             "labels": {"name": a["name"], "owner": "helm", "status": r["status"],
                                        "version": str(r["version"]), "modifiedAt": "1622566800"}},
                "data": {"release": b64(enc.encode())}})
print(json.dumps(out))
"""#

    func releaseSecrets(_ h: ClusterHarness, _ ns: String = "osm-system") -> [JSONValue] { h.helmReleaseSecrets(ns) }

    /// Decoded records by revision.
    func decoded(_ h: ClusterHarness, _ ns: String = "osm-system") throws -> [Int: JSONValue] {
        let all = try python(Self.decoder, .array(releaseSecrets(h, ns)))
        var out: [Int: JSONValue] = [:]
        for d in all.arrayValue ?? [] { out[d[path: "release", "version"]?.intValue ?? -1] = d }
        return out
    }

    func helmOwned(_ h: ClusterHarness, release: String, ns: String) -> Set<String> { h.helmOwned(release: release, ns: ns) }

    func manifestObjects(_ d: JSONValue?) -> Set<String> {
        Set((d?["manifestObjects"]?.arrayValue ?? []).map { "\($0["kind"]?.stringValue ?? "")/\($0["name"]?.stringValue ?? "")" })
    }

    func deployedRevisions(_ records: [Int: JSONValue]) -> [Int] {
        records.filter { $0.value[path: "release", "info", "status"] == "deployed" }.keys.sorted()
    }

    // MARK: install

    func testInstallWritesRevisionOneAsHelmWouldAndLabelsTheObjects() throws {
        let h = try ClusterHarness()
        let r = try h.osm(["install", "--enable-egress", "--set", "OpenServiceMesh.osmcontroller.podLabels.team=mesh,OpenServiceMesh.replicaCount=1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let records = try decoded(h)
        XCTAssertEqual(Array(records.keys), [1])
        XCTAssertEqual(releaseSecrets(h).count, 1)
        let d = try XCTUnwrap(records[1])
        XCTAssertEqual(d["secret"], "sh.helm.release.v1.osm.v1")
        XCTAssertEqual(d["type"], "helm.sh/release.v1")
        // Created (createdAt) then updated to deployed (modifiedAt replaces it), as Helm's install leaves it.
        let labels = d["labels"]?.stringMap ?? [:]
        XCTAssertEqual(labels["name"], "osm")
        XCTAssertEqual(labels["owner"], "helm")
        XCTAssertEqual(labels["status"], "deployed")
        XCTAssertEqual(labels["version"], "1")
        XCTAssertNotNil(labels["modifiedAt"].flatMap { Int($0) }, "\(labels)")
        XCTAssertNil(labels["createdAt"], "\(labels)")

        let rel = try XCTUnwrap(d["release"])
        // Only Release's JSON tags (hooks is empty, so omitted as Go's omitempty does).
        XCTAssertEqual(Set(rel.objectValue?.keys ?? []), ["name", "info", "chart", "config", "manifest", "version", "namespace"])
        XCTAssertEqual(rel["name"], "osm")
        XCTAssertEqual(rel["namespace"], "osm-system")
        XCTAssertEqual(rel["version"], 1)
        XCTAssertEqual(rel[path: "info", "status"], "deployed")
        XCTAssertEqual(rel[path: "info", "description"], "Install complete")
        XCTAssertEqual(rel[path: "info", "deleted"], "")
        XCTAssertEqual(rel[path: "info", "first_deployed"], rel[path: "info", "last_deployed"])
        let stamp = try XCTUnwrap(rel[path: "info", "first_deployed"]?.stringValue)
        XCTAssertNotNil(stamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$"#, options: .regularExpression), stamp)
        XCTAssertEqual(rel[path: "chart", "metadata", "name"], "osm")
        XCTAssertEqual(rel[path: "chart", "metadata", "version"], "0.8.4")
        XCTAssertEqual(rel[path: "chart", "metadata", "appVersion"], "v0.8.4")
        XCTAssertEqual(rel[path: "chart", "metadata", "apiVersion"], "v2")
        XCTAssertEqual(rel[path: "chart", "values", "OpenServiceMesh", "enableEgress"], false, "the chart's own default")
        // config: what upstream hands Helm, --set then the flags, typed by strvals.
        XCTAssertEqual(rel[path: "config", "OpenServiceMesh", "enableEgress"], true)
        XCTAssertEqual(rel[path: "config", "OpenServiceMesh", "osmcontroller", "podLabels", "team"], "mesh")
        XCTAssertEqual(rel[path: "config", "OpenServiceMesh", "replicaCount"], 1)
        XCTAssertNil(rel[path: "config", "OpenServiceMesh", "sidecarImage"], "chart defaults are not the user's values")
        XCTAssertEqual(rel[path: "config", "OpenServiceMesh", "meshName"], "osm")
        XCTAssertEqual(rel[path: "config", "OpenServiceMesh", "image", "tag"], "v0.8.4")
        XCTAssertEqual(rel[path: "config", "OpenServiceMesh", "envoyLogLevel"], "error")

        // The manifest names exactly the objects that carry Helm's ownership metadata: not the
        // CRDs (the chart's crds/), not the namespace; each from its template file.
        let owned = helmOwned(h, release: "osm", ns: "osm-system")
        XCTAssertEqual(manifestObjects(d), owned)
        XCTAssertTrue(owned.contains("Deployment/osm-controller") && owned.contains("ConfigMap/osm-config")
            && owned.contains("MutatingWebhookConfiguration/osm-webhook-osm"), "\(owned)")
        XCTAssertFalse(owned.contains { $0.hasPrefix("CustomResourceDefinition/") || $0.hasPrefix("Namespace/") }, "\(owned)")
        let sources = Dictionary((d["manifestObjects"]?.arrayValue ?? []).map { ("\($0["kind"]!.stringValue!)/\($0["name"]!.stringValue!)", $0["source"]?.stringValue ?? "") },
                                 uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(sources["Deployment/osm-controller"], "osm/templates/osm-deployment.yaml")
        XCTAssertEqual(sources["Deployment/osm-injector"], "osm/templates/osm-injector-deployment.yaml")
        XCTAssertEqual(sources["Service/osm-config-validator"], "osm/templates/osm-service.yaml")
        XCTAssertEqual(sources["ClusterRole/osm"], "osm/templates/osm-rbac.yaml")
        XCTAssertEqual(sources["ConfigMap/osm-config"], "osm/templates/osm-configmap.yaml")
        // Helm's install order by kind: ServiceAccount first, the webhook configurations (kinds Helm does not list) last.
        let kinds = (d["manifestObjects"]?.arrayValue ?? []).compactMap { $0["kind"]?.stringValue }
        XCTAssertEqual(kinds.first, "ServiceAccount")
        XCTAssertEqual(kinds.suffix(2), ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"])
        // The stored manifest is the chart's output, without the ownership metadata (Helm adds it on the way out).
        XCTAssertFalse(rel["manifest"]?.stringValue?.contains("managed-by") ?? true)

        // --dry-run prints what `helm template` would: no ownership metadata, no release behind it.
        let dry = try h.osm(["install", "--dry-run", "--mesh-name", "other"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertFalse(dry.stdout.contains("managed-by"), dry.stdout)
        XCTAssertEqual(releaseSecrets(h).count, 1, "--dry-run writes no record")

        // `osm mesh list` still sees it; `osm mesh uninstall` removes the record with the objects.
        XCTAssertTrue(try h.osm(["mesh", "list"]).stdout.contains("osm-system"))
        let un = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(un.status, 0, un.stderr)
        XCTAssertTrue(releaseSecrets(h).isEmpty)
    }

    func testFailedInstallRecordsFailedAndAtomicLeavesNoRecord() throws {
        let h = try ClusterHarness { $0.unpullableImage = "osm-controller" }
        let r = try h.osm(["install", "--timeout", "1s"])
        XCTAssertNotEqual(r.status, 0)
        let rel = try decoded(h)[1]?["release"]
        XCTAssertEqual(rel?[path: "info", "status"], "failed")
        XCTAssertTrue(rel?[path: "info", "description"]?.stringValue?.hasPrefix("Release \"osm\" failed: ") ?? false, "\(String(describing: rel))")
        XCTAssertEqual(releaseSecrets(h).first?[path: "metadata", "labels", "status"], "failed")

        // Resumed with --atomic and failing again: the rollback deletes what this run created,
        // never the record it took over, which says the install failed.
        let resumed = try h.osm(["install", "--timeout", "1s", "--resume", "--atomic"])
        XCTAssertNotEqual(resumed.status, 0)
        XCTAssertEqual(releaseSecrets(h).count, 1)
        XCTAssertEqual(releaseSecrets(h).first?[path: "metadata", "labels", "status"], "failed")

        let h2 = try ClusterHarness { $0.unpullableImage = "osm-controller" }
        let a = try h2.osm(["install", "--timeout", "1s", "--atomic"])
        XCTAssertNotEqual(a.status, 0)
        XCTAssertTrue(h2.sim.requestLog.contains { $0.method == "DELETE" && $0.path.hasSuffix("/secrets/sh.helm.release.v1.osm.v1") },
                      "the rollback deleted the record it wrote")
        XCTAssertTrue(releaseSecrets(h2).isEmpty, "\(releaseSecrets(h2))")
    }

    func testLeftoverRecordBlocksInstallUntilUninstallRemovesIt() throws {
        let h = try ClusterHarness()
        try h.createNamespace("osm-system")
        // A failed release with no control plane left (as a failed upstream install leaves it).
        let fixture = try python(Self.helmFixture, [
            "name": "osm", "namespace": "osm-system", "manifest": "",
            "revisions": [["version": 1, "status": "failed", "description": "Release \"osm\" failed: timed out waiting for the condition",
                           "last_deployed": "2021-06-01T10:00:00.123456789-07:00", "config": ["OpenServiceMesh": ["enableEgress": true]]]],
        ])
        for s in fixture.arrayValue ?? [] { try h.sim.put(s) }
        let blocked = try h.osm(["install"])
        XCTAssertNotEqual(blocked.status, 0)
        XCTAssertTrue(blocked.stderr.contains("cannot re-use a name that is still in use"), blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("osm mesh uninstall"), blocked.stderr)
        XCTAssertNil(h.deployment("osm-controller", in: "osm-system"), "nothing created")

        // As `helm uninstall`, osm's uninstall finds the release by its records alone.
        let un = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(un.status, 0, un.stderr)
        XCTAssertEqual(un.stdout, "OSM [mesh name: osm] uninstalled\n")
        XCTAssertTrue(releaseSecrets(h).isEmpty)
        let ok = try h.osm(["install"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(deployedRevisions(try decoded(h)), [1])
    }

    // MARK: upgrade and uninstall of a release Helm built

    func testUpgradeOfAHelmBuiltReleaseWritesTheNextRevisionAndUninstallPurgesIt() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install", "--enable-egress"]).status, 0)
        // Replace osm's record by a history as upstream's Helm leaves it: v1 superseded, v2 deployed.
        for s in releaseSecrets(h) { _ = try h.kubectl(["delete", "secret", "-n", "osm-system", s[path: "metadata", "name"]!.stringValue!]) }
        XCTAssertTrue(releaseSecrets(h).isEmpty)
        let upstreamConfig: JSONValue = ["OpenServiceMesh": [
            "enableEgress": true, "meshName": "osm", "envoyLogLevel": "error",
            "image": ["registry": "openservicemesh", "tag": "v0.8.4", "pullPolicy": "IfNotPresent"],
            "osmcontroller": ["resource": ["limits": ["cpu": 2]]],  // from --set
            "featureNotInThisChart": "kept",
        ]]
        let fixture = try python(Self.helmFixture, [
            "name": "osm", "namespace": "osm-system",
            "manifest": "---\n# Source: osm/templates/osm-configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: osm-config\n",
            "revisions": [
                ["version": 1, "status": "superseded", "description": "Install complete",
                 "last_deployed": "2021-06-01T10:00:00.123456789-07:00", "config": ["OpenServiceMesh": ["enableEgress": false]]],
                ["version": 2, "status": "deployed", "description": "Upgrade complete",
                 "last_deployed": "2021-06-02T10:00:00.5-07:00", "config": upstreamConfig],
            ],
        ])
        for s in fixture.arrayValue ?? [] { try h.sim.put(s) }
        let before = try decoded(h)
        XCTAssertEqual(before.keys.sorted(), [1, 2])
        let v1Version = releaseSecrets(h).first { $0[path: "metadata", "name"] == "sh.helm.release.v1.osm.v1" }?[path: "metadata", "resourceVersion"]

        let up = try h.osm(["mesh", "upgrade", "--enable-egress=false"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertEqual(up.stdout, "OSM successfully upgraded mesh osm\n")
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "false")

        let after = try decoded(h)
        XCTAssertEqual(after.keys.sorted(), [1, 2, 3])
        XCTAssertEqual(deployedRevisions(after), [3])
        // v1 was not touched; v2 is superseded and otherwise as Helm wrote it (its chart's
        // templates, schema and files survive osm's rewrite); v3 is current.
        XCTAssertEqual(releaseSecrets(h).first { $0[path: "metadata", "name"] == "sh.helm.release.v1.osm.v1" }?[path: "metadata", "resourceVersion"], v1Version)
        XCTAssertEqual(after[1]?["release"], before[1]?["release"])
        var v2 = try XCTUnwrap(before[2]?["release"])
        v2["info"]?["status"] = "superseded"
        XCTAssertEqual(after[2]?["release"], v2)
        XCTAssertEqual(after[2]?[path: "labels", "status"], "superseded")
        let v3 = try XCTUnwrap(after[3]?["release"])
        XCTAssertEqual(after[3]?["secret"], "sh.helm.release.v1.osm.v3")
        XCTAssertEqual(after[3]?[path: "labels", "status"], "deployed")
        XCTAssertEqual(after[3]?[path: "labels", "version"], "3")
        XCTAssertEqual(v3["version"], 3)
        XCTAssertEqual(v3["namespace"], "osm-system")
        XCTAssertEqual(v3[path: "info", "description"], "Upgrade complete")
        XCTAssertEqual(v3[path: "info", "first_deployed"], "2021-06-01T10:00:00.123456789-07:00")
        XCTAssertNotEqual(v3[path: "info", "last_deployed"], v2[path: "info", "last_deployed"])
        // Upstream's values: the flag over the old config over the old chart's values.
        XCTAssertEqual(v3[path: "config", "OpenServiceMesh", "enableEgress"], false)
        XCTAssertEqual(v3[path: "config", "OpenServiceMesh", "osmcontroller", "resource", "limits", "cpu"], 2)
        XCTAssertEqual(v3[path: "config", "OpenServiceMesh", "osmcontroller", "resource", "limits", "memory"], "512M")
        XCTAssertEqual(v3[path: "config", "OpenServiceMesh", "featureNotInThisChart"], "kept")
        XCTAssertEqual(v3[path: "chart", "metadata", "version"], "0.8.4")
        XCTAssertEqual(manifestObjects(after[3]), helmOwned(h, release: "osm", ns: "osm-system"))

        // Nothing more to change: no new revision.
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--enable-egress=false"]).status, 0)
        XCTAssertEqual(try decoded(h).keys.sorted(), [1, 2, 3])

        // The values change even when the ConfigMap already agrees (someone patched it by hand):
        // the release must not keep the old value for the next upstream upgrade to restore.
        XCTAssertEqual(try h.kubectl(["patch", "configmap", "osm-config", "-n", "osm-system", "-p", #"{"data":{"egress":"true"}}"#, "--type=merge"]).status, 0)
        let dry = try h.osm(["mesh", "upgrade", "--enable-egress=true", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("revision 4"), dry.stdout)
        XCTAssertEqual(try decoded(h).keys.sorted(), [1, 2, 3], "dry run writes nothing")
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--enable-egress=true"]).status, 0)
        let latest = try decoded(h)
        XCTAssertEqual(deployedRevisions(latest), [4])
        XCTAssertEqual(latest[4]?[path: "release", "config", "OpenServiceMesh", "enableEgress"], true)

        // `helm uninstall`'s effect: the objects and every revision go.
        let un = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(un.status, 0, un.stderr)
        XCTAssertTrue(releaseSecrets(h).isEmpty, "\(releaseSecrets(h).map { $0[path: "metadata", "name"] })")
        XCTAssertNil(h.deployment("osm-controller", in: "osm-system"))
    }

    // MARK: one round trip for every write

    func testUpgradeSendsItsWritesAndRecordMovesInOneRoundTripAndImagesAfter() throws {
        // 100 ms one way: requests sent together arrive within a few ms of each other; a request
        // that waited for an answer arrives at least 200 ms after the request it waited for.
        let h = try ClusterHarness { $0.latency = 0.1 }
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        let before = h.sim.requestLog.count
        let up = try h.osm(["mesh", "upgrade", "--enable-egress", "--osm-image-tag", "v0.8.3"])
        XCTAssertEqual(up.status, 0, up.stderr)
        let rounds = rounds(Array(h.sim.requestLog.dropFirst(before)), oneWayMs: 100)
        // The image patches wait for the conditional writes that only one of two upgrades at
        // once can make (osm-config's patch, the record's move).
        XCTAssertEqual(rounds.count, 3, "reads, osm-config and the record, then the images: \(rounds)")
        XCTAssertEqual(Set(rounds.first ?? []), [
            "GET /apis/apps/v1/namespaces/osm-system/deployments", "GET /api/v1/namespaces/osm-system/configmaps/osm-config",
            "GET /api/v1/namespaces/osm-system/secrets"])
        XCTAssertEqual(Set(rounds.dropFirst().first ?? []), [
            "PATCH /api/v1/namespaces/osm-system/configmaps/osm-config",
            "PATCH /api/v1/namespaces/osm-system/secrets/sh.helm.release.v1.osm.v1",
            "POST /api/v1/namespaces/osm-system/secrets"])
        XCTAssertEqual(Set(rounds.last ?? []), [
            "PATCH /apis/apps/v1/namespaces/osm-system/deployments/osm-controller",
            "PATCH /apis/apps/v1/namespaces/osm-system/deployments/osm-injector"])

        let records = try decoded(h)
        XCTAssertEqual(records[1]?[path: "labels", "status"], "superseded")
        XCTAssertEqual(records[2]?[path: "labels", "status"], "deployed")
        // As Helm's create-then-update leaves a revision: modifiedAt, no createdAt.
        XCTAssertNotNil(records[2]?[path: "labels", "modifiedAt"])
        XCTAssertNil(records[2]?[path: "labels", "createdAt"])
        XCTAssertEqual(records[2]?[path: "release", "config", "OpenServiceMesh", "image", "tag"], "v0.8.3")
        XCTAssertEqual(h.deployment("osm-controller", in: "osm-system")?[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"],
                       "openservicemesh/osm-controller:v0.8.3")
        // A change of osm-config alone: every write in one round trip.
        let configOnly = h.sim.requestLog.count
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--enable-egress=false", "--osm-image-tag", "v0.8.3"]).status, 0)
        XCTAssertEqual(self.rounds(Array(h.sim.requestLog.dropFirst(configOnly)), oneWayMs: 100).count, 2)
    }

    /// Requests of a log grouped by round trip: a gap of more than `oneWayMs` between two
    /// arrivals starts a new round (the harness's sim delays every read and write by that much).
    func rounds(_ log: [RequestLogEntry], oneWayMs: Double) -> [[String]] {
        var rounds: [[String]] = []
        var last = -Double.infinity
        for e in log.sorted(by: { $0.startMs < $1.startMs }) {
            if e.startMs - last > oneWayMs { rounds.append([]) }
            rounds[rounds.count - 1].append("\(e.method) \(e.path)")
            last = e.startMs
        }
        return rounds
    }

    func testInstallReadsEverythingInOneRoundAndWritesItsRecordWithTheFirstObjects() throws {
        let h = try ClusterHarness { $0.latency = 0.1 }
        let r = try h.osm(["install"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rounds = rounds(h.sim.requestLog, oneWayMs: 100)
        // Every check (meshes, server, namespace, Helm records, each object's name) in one round.
        let firstWrite = try XCTUnwrap(rounds.firstIndex { $0.contains { !$0.hasPrefix("GET ") } })
        XCTAssertEqual(firstWrite, 1, "\(rounds.prefix(2))")
        XCTAssertTrue(rounds[0].contains("GET /api/v1/namespaces/osm-system/secrets"), "\(rounds[0])")
        XCTAssertTrue(rounds[0].contains("GET /api/v1/namespaces/osm-system/configmaps/osm-config"), "\(rounds[0])")
        XCTAssertEqual(rounds[1], ["POST /api/v1/namespaces"])
        // Revision 1 goes with the first objects, into the namespace created the round before.
        XCTAssertTrue(rounds[2].contains("POST /api/v1/namespaces/osm-system/secrets"), "\(rounds[2])")
        XCTAssertTrue(rounds[2].contains("POST /api/v1/namespaces/osm-system/serviceaccounts"), "\(rounds[2])")
        XCTAssertEqual(deployedRevisions(try decoded(h)), [1])
    }

    // MARK: an upgrade stopped half way

    func testAFailedConfigChangeUndoesTheRecordMove() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/configmaps/osm-config$", status: 500, message: "injected")])
        let broken = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("injected"), broken.stderr)
        h.sim.setFaults([])
        let records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [1])
        XCTAssertEqual(records[2]?[path: "release", "info", "status"], "failed")
        XCTAssertEqual(records[2]?[path: "labels", "status"], "failed")
        XCTAssertTrue(records[2]?[path: "release", "info", "description"]?.stringValue?.contains("injected") == true)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "false")

        let again = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(deployedRevisions(try decoded(h)), [3])
    }

    func testAnUndoThatFailsTooIsSaidAndRepairedByTheNextRun() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        // The config change fails, and so does marking revision 2 failed afterwards.
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/configmaps/osm-config$", status: 500, message: "injected"),
                         FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.osm\\.v2$", status: 500, message: "also injected")])
        let broken = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.hasPrefix("Error: ") && broken.stderr.contains("injected"), broken.stderr)
        XCTAssertTrue(broken.stderr.contains("could not be set back: revision 2 could not be marked failed (") && broken.stderr.contains("also injected), so it stays deployed beside revision 1 although its changes failed: run the same 'osm mesh upgrade' again"), broken.stderr)
        XCTAssertEqual(deployedRevisions(try decoded(h)), [1, 2])
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "false")
        h.sim.setFaults([])

        let again = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("revision 1 superseded"), again.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        XCTAssertEqual(deployedRevisions(try decoded(h)), [3])
    }

    func testAnUpgradeWhoseSupersedeFailedLeavesTwoDeployedThatTheNextRunRepairs() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.osm\\.v1$", status: 500, message: "injected")])
        let broken = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("Error: mesh osm was upgraded and revision 2 of its Helm release record is deployed, but revision 1 could not be marked superseded ("), broken.stderr)
        XCTAssertTrue(broken.stderr.contains("run the same 'osm mesh upgrade' again"), broken.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        XCTAssertEqual(deployedRevisions(try decoded(h)), [1, 2])
        h.sim.setFaults([])

        let again = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("revision 1 superseded"), again.stderr)
        let records = try decoded(h)
        XCTAssertEqual(records.keys.sorted(), [1, 2], "revision 2 already holds these values")
        XCTAssertEqual(records[1]?[path: "labels", "status"], "superseded")
        XCTAssertEqual(deployedRevisions(records), [2])
    }

    /// The next revision cannot be created and, after the base was superseded, the base cannot
    /// be marked deployed again either: the error says no revision is deployed, and the next
    /// run repairs it.
    func testAnUpgradeWhoseNewRevisionWasNotWrittenIsRepairedByTheNextRun() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        h.sim.setFaults([FaultRule(method: "POST", path: "/secrets$", status: 500, message: "injected"),
                         FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.osm\\.v1$", skip: 1, status: 500, message: "also injected")])
        let broken = try h.osm(["mesh", "upgrade", "--envoy-log-level", "debug"])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.hasPrefix("Error: revision 2 of the Helm release record of mesh osm could not be created ("), broken.stderr)
        XCTAssertTrue(broken.stderr.contains("injected); this one's change to osm-config was taken back; the Helm release record could not be set back: revision 1 is left superseded, with no revision deployed (marking it deployed again failed: "), broken.stderr)
        XCTAssertTrue(broken.stderr.hasSuffix("also injected): the next 'osm mesh upgrade' repairs it: run it again\n"), broken.stderr)
        var records = try decoded(h)
        XCTAssertEqual(records.keys.sorted(), [1])
        XCTAssertEqual(deployedRevisions(records), [], "the base was superseded; the next revision is missing")
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "envoy_log_level"], "error")
        h.sim.setFaults([])

        // The usual read leaves superseded revisions out; finding none, osm reads them all.
        let again = try h.osm(["mesh", "upgrade", "--envoy-log-level", "debug"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("marked revision 1 deployed again"), again.stderr)
        records = try decoded(h)
        XCTAssertEqual(records[1]?[path: "labels", "status"], "superseded")
        XCTAssertEqual(deployedRevisions(records), [2])
        XCTAssertEqual(records[2]?[path: "release", "config", "OpenServiceMesh", "envoyLogLevel"], "debug")
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "envoy_log_level"], "debug")
    }

    /// Helm's own upgrade writes the next revision pending-upgrade first; one stopped before
    /// superseding the old revision leaves it beside a deployed one.
    func testAHelmUpgradeStoppedBeforeSupersedingIsClosedAsFailedByTheNextRun() throws {
        let h = try ClusterHarness()
        try helmHistory(h, [(1, "deployed"), (2, "pending-upgrade")])
        let again = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("revision 2") && again.stderr.contains("failed"), again.stderr)
        let records = try decoded(h)
        XCTAssertEqual(records[1]?[path: "release", "info", "status"], "superseded")
        XCTAssertEqual(records[2]?[path: "release", "info", "status"], "failed")
        XCTAssertEqual(records[2]?[path: "labels", "status"], "failed")
        XCTAssertEqual(records[3]?[path: "release", "info", "status"], "deployed")
        XCTAssertEqual(records[3]?[path: "release", "config", "OpenServiceMesh", "enableEgress"], true)
        XCTAssertEqual(deployedRevisions(records), [3])
    }

    /// An osm upgrade stopped after superseding the base and before creating the next revision,
    /// with an older failed revision beside it: the usual read (no superseded revisions) finds
    /// only the failed one, so osm reads the whole history and deploys the base again.
    func testASupersededLatestRevisionBesideAFailedOneIsDeployedAgain() throws {
        let h = try ClusterHarness()
        try helmHistory(h, [(1, "failed"), (2, "superseded")])
        let again = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("marked revision 2 deployed again"), again.stderr)
        let records = try decoded(h)
        XCTAssertEqual(records.keys.sorted(), [1, 2, 3])
        XCTAssertEqual(records[2]?[path: "labels", "status"], "superseded")
        XCTAssertEqual(deployedRevisions(records), [3])
    }

    /// Stopped after superseding the old revision: nothing is deployed, the last pending-upgrade.
    func testAHelmUpgradeStoppedAfterSupersedingIsCompletedByTheNextRun() throws {
        let h = try ClusterHarness()
        try helmHistory(h, [(1, "superseded"), (2, "pending-upgrade")], config: ["OpenServiceMesh": ["envoyLogLevel": "debug"]])
        // Its changes were made before Helm superseded revision 1.
        XCTAssertEqual(try h.kubectl(["patch", "configmap", "osm-config", "-n", "osm-system", "-p", #"{"data":{"envoy_log_level":"debug"}}"#]).status, 0)
        let again = try h.osm(["mesh", "upgrade", "--envoy-log-level", "debug"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("revision 2") && again.stderr.contains("deployed"), again.stderr)
        let records = try decoded(h)
        XCTAssertEqual(records.keys.sorted(), [1, 2], "the repaired revision already holds these values")
        XCTAssertEqual(deployedRevisions(records), [2])
        XCTAssertEqual(records[2]?[path: "release", "config", "OpenServiceMesh", "envoyLogLevel"], "debug")
        XCTAssertEqual(records[2]?[path: "release", "info", "description"], "Upgrade complete")
    }

    /// A mesh installed by osm whose record is replaced by a history as Helm writes it.
    func helmHistory(_ h: ClusterHarness, _ revisions: [(Int, String)], config: JSONValue = ["OpenServiceMesh": ["enableEgress": false]]) throws {
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        for s in releaseSecrets(h) { _ = try h.kubectl(["delete", "secret", "-n", "osm-system", s[path: "metadata", "name"]!.stringValue!]) }
        let fixture = try python(Self.helmFixture, [
            "name": "osm", "namespace": "osm-system",
            "manifest": "---\n# Source: osm/templates/osm-configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: osm-config\n",
            "revisions": .array(revisions.map { (v, status) in
                ["version": .int(v), "status": .string(status), "description": v == 1 ? "Install complete" : "Preparing upgrade",
                 "last_deployed": "2021-06-02T10:00:00.5-07:00", "config": config]
            }),
        ])
        for s in fixture.arrayValue ?? [] { try h.sim.put(s) }
        XCTAssertEqual(try decoded(h).keys.sorted(), revisions.map(\.0))
    }

    // MARK: names Helm cannot keep

    func testNamesHelmCannotKeepAreRefusedBeforeAnythingIsWritten() throws {
        let h = try ClusterHarness()
        let long = String(repeating: "m", count: 54)
        let cases: [([String], String)] = [
            // Helm 3.2's install checks the length first, in these words (upstream prints them).
            (["--mesh-name", long], "Error: release name \"\(long)\" exceeds max length of 53\n"),
            // Its record's Secret name would be refused, which upstream's Helm finds out after the CRDs.
            (["--mesh-name", "MyMesh"], "Error: mesh name \"MyMesh\" cannot name a Helm release: its record would be the Secret \"sh.helm.release.v1.MyMesh.v1\", which Kubernetes refuses"),
            (["--mesh-name", "my_mesh"], "Error: mesh name \"my_mesh\" cannot name a Helm release"),
            // YAML reads them as booleans where the chart writes them unquoted.
            (["--mesh-name", "y"], "Error: mesh name \"y\" cannot be installed: YAML reads it as a boolean (true)"),
            (["--mesh-name", "off"], "Error: mesh name \"off\" cannot be installed: YAML reads it as a boolean (false)"),
            (["--osm-namespace", "on"], "Error: namespace \"on\" cannot hold a mesh: YAML reads it as a boolean (true)"),
        ]
        for (args, expected) in cases {
            for dry in [[], ["--dry-run"]] {
                let r = try h.osm(["install"] + dry + args)
                XCTAssertEqual(r.status, 1, "\(args) \(dry)")
                XCTAssertTrue(r.stderr.hasPrefix(expected), "\(args) \(dry): \(r.stderr)")
                XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
                XCTAssertEqual(r.stdout, "", "\(args) \(dry)")
            }
        }
        XCTAssertEqual(h.writes.map { "\($0.method) \($0.path)" }, [], "nothing written")

        // 53 characters is Helm's limit: such a mesh installs, and Helm manages it.
        let longest = String(repeating: "m", count: 53)
        let ok = try h.osm(["install", "--mesh-name", longest])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let list = try JSONValue(parsing: try h.helm(["list", "-n", "osm-system", "-o", "json"]).stdout)
        XCTAssertEqual(list.arrayValue?.first?["name"], .string(longest))
        let un = try h.helm(["uninstall", longest, "-n", "osm-system"])
        XCTAssertEqual(un.stdout, "release \"\(longest)\" uninstalled\n", un.stderr)
        XCTAssertTrue(releaseSecrets(h).isEmpty)
    }

    // MARK: failed revisions

    /// `helm history` prints a revision per row: a failed revision's description is one line.
    func testAFailedRevisionsDescriptionIsOneLine() throws {
        let h = try ClusterHarness { $0.unpullableImage = "osm-controller" }
        XCTAssertNotEqual(try h.osm(["install", "--timeout", "1s"]).status, 0)
        let description = try XCTUnwrap(try decoded(h)[1]?[path: "release", "info", "description"]?.stringValue)
        XCTAssertTrue(description.hasPrefix("Release \"osm\" failed: "), description)
        XCTAssertFalse(description.contains("\n"), description)
        let table = try h.helm(["history", "osm", "-n", "osm-system"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let rows = table.stdout.split(separator: "\n")
        XCTAssertEqual(rows.count, 2, table.stdout)
        XCTAssertTrue(rows.last?.hasPrefix("1") ?? false, table.stdout)
        XCTAssertTrue(rows.last?.contains("failed") ?? false, table.stdout)
    }

    // MARK: records that do not read back

    /// A release record Secret as Helm's driver stores one, from a release's JSON (uncompressed,
    /// which Helm reads too), with the given name and labels.
    func putRecord(_ h: ClusterHarness, name: String, labels: [String: String], release: String) throws {
        let inner = Base64.encode(Array(release.utf8))
        try h.sim.put(["apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                       "metadata": ["name": .string(name), "namespace": "osm-system", "labels": JSONValue(labels)],
                       "data": ["release": .string(Base64.encode(Array(inner.utf8)))]])
    }

    func testTheNextRevisionComesAfterEverySecretOfTheReleaseReadableOrNot() throws {
        let h = try ClusterHarness.withInstalledMesh()
        // Revision 2's Secret, named and labelled as the release's, whose record does not decode
        // (and whose version label is gone): only its name says which revision it is.
        try putRecord(h, name: "sh.helm.release.v1.osm.v2", labels: ["name": "osm", "owner": "helm", "status": "failed"], release: "not a release")
        let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertTrue(up.stderr.contains("skipped record sh.helm.release.v1.osm.v2: "), up.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        let records = try python(Self.decoder, .array(releaseSecrets(h).filter { $0[path: "metadata", "name"] != "sh.helm.release.v1.osm.v2" }))
        let byVersion = Dictionary(uniqueKeysWithValues: (records.arrayValue ?? []).map { ($0[path: "release", "version"]?.intValue ?? -1, $0) })
        XCTAssertEqual(byVersion.keys.sorted(), [1, 3])
        XCTAssertEqual(byVersion[1]?[path: "labels", "status"], "superseded")
        XCTAssertEqual(byVersion[3]?[path: "labels", "status"], "deployed")
        XCTAssertEqual(byVersion[3]?["secret"], "sh.helm.release.v1.osm.v3")
        // Left as it was.
        let v2 = releaseSecrets(h).first { $0[path: "metadata", "name"] == "sh.helm.release.v1.osm.v2" }
        XCTAssertEqual(v2?[path: "metadata", "labels"], ["name": "osm", "owner": "helm", "status": "failed"])
    }

    func testARecordThatDisagreesWithItsSecretIsSkippedNeverRelabelled() throws {
        // Revision 2, labelled deployed, whose JSON says something else.
        let variants: [(String, (inout JSONValue) -> Void)] = [
            ("another release", { $0["name"] = "other" }),
            ("version as a string", { $0["version"] = "2" }),
            ("info of the wrong type", { $0["info"] = "deployed" }),
            ("status unlike its label", { $0["info"]?["status"] = "superseded" }),
        ]
        for (what, change) in variants {
            let h = try ClusterHarness.withInstalledMesh()
            var release = try XCTUnwrap(try decoded(h)[1]?["release"])
            release["version"] = 2
            change(&release)
            let labels = ["name": "osm", "owner": "helm", "status": "deployed", "version": "2"]
            try putRecord(h, name: "sh.helm.release.v1.osm.v2", labels: labels, release: release.jsonString())
            let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
            XCTAssertEqual(up.status, 0, "\(what): \(up.stderr)")
            XCTAssertTrue(up.stderr.contains("skipped record sh.helm.release.v1.osm.v2: "), "\(what): \(up.stderr)")
            let secrets = releaseSecrets(h)
            let v2 = secrets.first { $0[path: "metadata", "name"] == "sh.helm.release.v1.osm.v2" }
            XCTAssertEqual(v2?[path: "metadata", "labels"], JSONValue(labels), what)
            XCTAssertEqual(Set(secrets.compactMap { $0[path: "metadata", "labels", "name"]?.stringValue }), ["osm"], what)
            let status = Dictionary(uniqueKeysWithValues: secrets.map { ($0[path: "metadata", "name"]?.stringValue ?? "", $0[path: "metadata", "labels", "status"]?.stringValue ?? "") })
            XCTAssertEqual(status, ["sh.helm.release.v1.osm.v1": "superseded", "sh.helm.release.v1.osm.v2": "deployed",
                                    "sh.helm.release.v1.osm.v3": "deployed"], what)
        }
    }

    // MARK: no deployed revision

    /// Helm's upgrade (upstream's `mesh upgrade`) builds only on a deployed revision.
    func testMeshUpgradeWithNoDeployedRevisionFailsAsHelmsUpgradeDoes() throws {
        for statuses in [["failed"], ["pending-install"], ["uninstalled"], ["superseded", "uninstalled"]] {
            let h = try ClusterHarness()
            try helmHistory(h, statuses.enumerated().map { ($0.offset + 1, $0.element) })
            let before = h.writes.count
            let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
            XCTAssertEqual(up.status, 1, "\(statuses)")
            XCTAssertEqual(up.stderr, "Error: \"osm\" has no deployed releases\n", "\(statuses)")
            XCTAssertEqual(h.writes.count, before, "nothing written: \(statuses)")
            XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "false")
        }
    }

    /// osm's undo after a failed change marks the new revision failed and the old one deployed
    /// again; when only the first of those writes lands, the next run deploys the old one again.
    func testASupersededRevisionFollowedByFailedOnesIsDeployedAgain() throws {
        let h = try ClusterHarness()
        try helmHistory(h, [(1, "superseded"), (2, "failed")])
        let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertTrue(up.stderr.contains("marked revision 1 deployed again"), up.stderr)
        let records = try decoded(h)
        XCTAssertEqual(records.keys.sorted(), [1, 2, 3])
        XCTAssertEqual(records[1]?[path: "labels", "status"], "superseded")
        XCTAssertEqual(records[2]?[path: "labels", "status"], "failed")
        XCTAssertEqual(deployedRevisions(records), [3])
        XCTAssertEqual(records[3]?[path: "release", "config", "OpenServiceMesh", "enableEgress"], true)
    }

    /// An install whose record could not be marked deployed says how to finish it, with every
    /// flag that command needs; following it records the install.
    func testAnInstallWhoseRecordWasNotMarkedDeployedSaysHowToRecordIt() throws {
        let h = try ClusterHarness()
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.m\\.v1$", status: 500, message: "injected")])
        let install = try h.osm(["install", "--mesh-name", "m", "--osm-namespace", "mesh-ns", "--enable-egress"])
        XCTAssertEqual(install.status, 1)
        XCTAssertTrue(install.stderr.contains("could not be marked deployed"), install.stderr)
        h.sim.setFaults([])
        let parts = install.stderr.split(separator: "'")
        let hint = try XCTUnwrap(parts.first { $0.hasPrefix("osm install") }, install.stderr)
        XCTAssertEqual(hint, "osm install --resume --mesh-name m --osm-namespace mesh-ns")
        XCTAssertTrue(install.stderr.contains("' with the same flags records it"), install.stderr)
        XCTAssertEqual(releaseSecrets(h, "mesh-ns").first?[path: "metadata", "labels", "status"], "pending-install")

        // As Helm's upgrade, mesh upgrade does not build on it.
        let up = try h.osm(["mesh", "upgrade", "--mesh-name", "m", "--osm-namespace", "mesh-ns"])
        XCTAssertEqual(up.stderr, "Error: \"m\" has no deployed releases\n")

        let resumed = try h.osm(hint.split(separator: " ").dropFirst().map(String.init) + ["--enable-egress"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let records = try decoded(h, "mesh-ns")
        XCTAssertEqual(records.keys.sorted(), [1])
        XCTAssertEqual(deployedRevisions(records), [1])
        XCTAssertEqual(records[1]?[path: "release", "config", "OpenServiceMesh", "enableEgress"], true)
    }

    // MARK: bounded decoding

    /// A command decodes at most 64 MiB of release records in all: four revisions of 40 MiB
    /// each (whitespace around `{}`, a few KiB gzip'd) are not all expanded.
    func testRecordsPastTheCommandsDecodeBudgetAreSkippedAndReported() throws {
        let h = try ClusterHarness.withInstalledMesh()
        let bomb = try python("""
            import base64, gzip, json
            data = gzip.compress(b" " * (40 << 20) + b"{}", 9)
            print(json.dumps(base64.b64encode(base64.b64encode(data)).decode()))
            """, .null)
        for v in 2...5 {
            try h.sim.put(["apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                           "metadata": ["name": .string("sh.helm.release.v1.osm.v\(v)"), "namespace": "osm-system",
                                        "labels": ["name": "osm", "owner": "helm", "status": "deployed", "version": .string(String(v))]],
                           "data": ["release": bomb]])
        }
        let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(up.status, 0, up.stderr)
        let skipped = up.stderr.split(separator: "\n").filter { $0.contains("skipped record sh.helm.release.v1.osm.v") }
        XCTAssertEqual(skipped.count, 4, up.stderr)
        XCTAssertEqual(skipped.filter { $0.contains("expands past what is left of the 64 MiB a command reads of them in all") }.count, 3, up.stderr)
        let v1 = releaseSecrets(h).first { $0[path: "metadata", "name"] == "sh.helm.release.v1.osm.v1" }
        XCTAssertEqual(v1?[path: "metadata", "labels", "status"], "superseded")
        let v6 = releaseSecrets(h).first { $0[path: "metadata", "name"] == "sh.helm.release.v1.osm.v6" }
        XCTAssertEqual(v6?[path: "metadata", "labels", "status"], "deployed")
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
    }

    /// Helm stores the record before any object: when it cannot be stored, none of the objects
    /// sent with it stay (the namespace, created before it, stays, as Helm's does).
    func testARecordThatCannotBeCreatedAtInstallLeavesNoObjectBehind() throws {
        let h = try ClusterHarness()
        h.sim.setFaults([FaultRule(method: "POST", path: "/namespaces/osm-system/secrets$", status: 403, message: "injected")])
        let r = try h.osm(["install"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("injected"), r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("Error: could not create Secret \"sh.helm.release.v1.osm.v1\" (the mesh's Helm release record): injected (the 12 objects sent with it were deleted)\n"), r.stderr)
        h.sim.setFaults([])
        XCTAssertEqual(h.helmOwned(release: "osm", ns: "osm-system"), [])
        let leftovers = [("", "v1", "serviceaccounts"), ("", "v1", "configmaps"), ("", "v1", "services"), ("apps", "v1", "deployments")]
            .flatMap { h.sim.objects(group: $0.0, version: $0.1, resource: $0.2, namespace: "osm-system") }
            .filter { $0[path: "metadata", "name"] != "default" && $0[path: "metadata", "name"] != "kube-root-ca.crt" }
        XCTAssertEqual(leftovers.compactMap { $0[path: "metadata", "name"]?.stringValue }, [])
        eventually("the CRDs sent with the record are gone (a deleted CRD terminates first)") {
            h.sim.objects(group: "apiextensions.k8s.io", version: "v1beta1", resource: "customresourcedefinitions", namespace: nil).isEmpty
        }
        XCTAssertTrue(releaseSecrets(h).isEmpty)
        XCTAssertNotNil(h.namespace("osm-system"))
        // Nothing stands in the way of the next install.
        let again = try h.osm(["install"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(deployedRevisions(try decoded(h)), [1])
    }

    // MARK: objects only a manifest lists

    /// A mesh whose deployed revision (as Helm wrote it) lists, besides osm-config, two
    /// ConfigMaps this chart does not render: `helm-only`, and `kept` (annotated
    /// `helm.sh/resource-policy: keep`).
    func meshWhoseManifestListsMore() throws -> ClusterHarness {
        let h = try ClusterHarness.withInstalledMesh()
        for (name, keep) in [("helm-only", false), ("kept", true)] {
            var meta: JSONValue = ["name": .string(name), "namespace": "osm-system"]
            if keep { meta["annotations"] = ["helm.sh/resource-policy": "keep"] }
            try h.sim.put(["apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": ["a": "b"]])
        }
        for s in releaseSecrets(h) { _ = try h.kubectl(["delete", "secret", "-n", "osm-system", s[path: "metadata", "name"]!.stringValue!]) }
        let manifest = "---\n# Source: osm/templates/osm-configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: osm-config\n"
            + "---\n# Source: osm/templates/extra.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: helm-only\n"
            + "---\n# Source: osm/templates/extra.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    helm.sh/resource-policy: keep\n"
        let fixture = try python(Self.helmFixture, [
            "name": "osm", "namespace": "osm-system", "manifest": .string(manifest),
            "revisions": [["version": 1, "status": "deployed", "description": "Install complete",
                           "last_deployed": "2021-06-01T10:00:00.123456789-07:00", "config": ["OpenServiceMesh": ["enableEgress": false]]]],
        ])
        for s in fixture.arrayValue ?? [] { try h.sim.put(s) }
        return h
    }

    /// As Helm's upgrade: what the deployed revision's manifest lists and the next one does not is deleted.
    func testUpgradeDeletesWhatTheDeployedManifestListsAndTheNextDoesNot() throws {
        let h = try meshWhoseManifestListsMore()
        let dry = try h.osm(["mesh", "upgrade", "--enable-egress", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("Would delete ConfigMap osm-system/helm-only"), dry.stderr)
        XCTAssertNotNil(h.configMap("helm-only", in: "osm-system"))

        let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertTrue(up.stderr.contains("Deleted ConfigMap osm-system/helm-only"), up.stderr)
        XCTAssertFalse(up.stderr.contains("kept"), up.stderr)
        XCTAssertNil(h.configMap("helm-only", in: "osm-system"))
        XCTAssertNotNil(h.configMap("kept", in: "osm-system"))
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        XCTAssertEqual(deployedRevisions(try decoded(h)), [2])
        // The next upgrade has nothing more to delete.
        let again = try h.osm(["mesh", "upgrade", "--enable-egress=false"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stderr.contains("Deleted"), again.stderr)
    }

    /// As `helm uninstall`: every object of the last revision's manifest goes, labelled as the
    /// chart labels it or not; one annotated `helm.sh/resource-policy: keep` stays.
    func testUninstallDeletesEveryObjectTheLastManifestLists() throws {
        let h = try meshWhoseManifestListsMore()
        let un = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(un.status, 0, un.stderr)
        XCTAssertTrue(un.stderr.contains("ConfigMap osm-system/helm-only"), un.stderr)
        XCTAssertNil(h.configMap("helm-only", in: "osm-system"))
        XCTAssertNotNil(h.configMap("kept", in: "osm-system"))
        XCTAssertNil(h.configMap("osm-config", in: "osm-system"))
        XCTAssertTrue(releaseSecrets(h).isEmpty)
        XCTAssertEqual(h.sim.requestLog.filter { $0.method == "DELETE" && $0.path.contains("webhookconfigurations") }.count, 2,
                       "each webhook configuration deleted once, by one of its versions")
    }

    // MARK: two upgrades at once

    /// Two `mesh upgrade`s at once, twenty times (each request 20 ms one way, so both read the
    /// same state): whichever wins, osm-config ends as the deployed revision's values say; the
    /// loser's change never stays in osm-config without its record.
    func testTwoUpgradesAtOnceLeaveOsmConfigAsTheDeployedRevisionSays() throws {
        let h = try ClusterHarness { $0.latency = 0.02 }
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        final class Results: @unchecked Sendable { let lock = NSLock(); var all: [Int: ProcessResult] = [:] }
        let (kubeconfig, home) = (h.kubeconfig, h.dir)
        var failedRuns = 0
        for round in 0..<20 {
            let commands = [["mesh", "upgrade", "--enable-egress=\(round % 2 == 0)"],
                            ["mesh", "upgrade", "--envoy-log-level", round % 2 == 0 ? "debug" : "info"]]
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let r = try? OSMBinary.run(commands[i], kubeconfig: kubeconfig, home: home)
                results.lock.lock()
                results.all[i] = r
                results.lock.unlock()
            }
            for i in 0..<2 {
                let r = try XCTUnwrap(results.all[i])
                if r.status != 0 {
                    failedRuns += 1
                    XCTAssertTrue(r.stderr.contains("run it again") || r.stderr.contains("run the same 'osm mesh upgrade' again"), "round \(round): \(r.stderr)")
                }
            }
            // What Helm's `Deployed` reads: the last deployed revision.
            let records = try decoded(h)
            let deployed = try XCTUnwrap(deployedRevisions(records).last.flatMap { records[$0] }, "round \(round): no deployed revision")
            let values = deployed[path: "release", "config", "OpenServiceMesh"]
            let data = h.configMap("osm-config", in: "osm-system")?["data"]
            XCTAssertEqual(values?["enableEgress"]?.boolValue.map { String($0) } ?? "false", data?["egress"]?.stringValue, "round \(round)")
            XCTAssertEqual(values?["envoyLogLevel"]?.stringValue ?? "error", data?["envoy_log_level"]?.stringValue, "round \(round)")
        }
        print("two upgrades at once: \(failedRuns) of 40 runs failed and said to run again")
    }

    /// A next revision the server refuses to store: as with Helm, which writes it before any
    /// change, the run ends with osm-config as it was and the base revision deployed.
    func testAnUpgradeWhoseRecordIsRefusedTakesBackItsChange() throws {
        let (h, up) = try upgradeOfAnInstalledMesh(faults: [FaultRule(method: "POST", path: "/secrets$", status: 403, message: "injected")])
        XCTAssertEqual(up.status, 1)
        XCTAssertEqual(up.stderr, "Error: revision 2 of the Helm release record of mesh osm could not be created (injected); this one's change to osm-config was taken back: run it again\n")
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "false")
        let records = try decoded(h)
        XCTAssertEqual(records.keys.sorted(), [1])
        XCTAssertEqual(deployedRevisions(records), [1])

        let again = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(deployedRevisions(try decoded(h)), [2])
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
    }

    // MARK: record writes that fail after the cluster changed (issue 25)

    /// `mesh upgrade --enable-egress` of a freshly installed mesh with `faults` injected for that
    /// run only: the harness (faults cleared) and what osm answered.
    func upgradeOfAnInstalledMesh(faults: [FaultRule]) throws -> (ClusterHarness, ProcessResult) {
        let h = try ClusterHarness.withInstalledMesh()
        h.sim.setFaults(faults)
        let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
        h.sim.setFaults([])
        return (h, up)
    }

    /// The next revision's create answered 500 once: it is sent again, and the run completes.
    func testANextRevisionWhoseCreateFailsOnceIsSentAgain() throws {
        let (h, up) = try upgradeOfAnInstalledMesh(faults: [FaultRule(method: "POST", path: "/secrets$", count: 1, status: 500, message: "injected")])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        let records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [2])
        XCTAssertEqual(records[1]?[path: "labels", "status"], "superseded")
    }

    /// The create was applied but its answer lost (the connection dropped, then a 504): the
    /// record is read back and found written, not sent again into an AlreadyExists.
    func testANextRevisionWhoseAnswerWasLostIsReadBack() throws {
        for fault in [FaultRule(method: "POST", path: "/secrets$", count: 1, dropConnection: true, afterApply: true),
                      FaultRule(method: "POST", path: "/secrets$", count: 1, status: 504, afterApply: true)] {
            let h = try ClusterHarness.withInstalledMesh()
            h.sim.setFaults([fault])
            let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
            h.sim.setFaults([])
            XCTAssertEqual(up.status, 0, "\(fault): \(up.stderr)")
            XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
            let records = try decoded(h)
            XCTAssertEqual(records.keys.sorted(), [1, 2])
            XCTAssertEqual(deployedRevisions(records), [2], "\(fault)")
        }
    }

    /// osm-config's patch was applied but its answer lost (a 500 after the change): osm-config is
    /// read back and found changed, so the record moves on, as the cluster did.
    func testAnOsmConfigPatchWhoseAnswerWasLostIsReadBack() throws {
        let (h, up) = try upgradeOfAnInstalledMesh(faults: [FaultRule(method: "PATCH", path: "/configmaps/osm-config$", count: 1, status: 500, message: "injected", afterApply: true)])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        let records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [2])
        XCTAssertEqual(records[2]?[path: "release", "config", "OpenServiceMesh", "enableEgress"], true)
    }

    /// The create keeps failing (500, or a dropped connection): after its tries the base is
    /// deployed again and osm-config's change taken back, so the cluster and the deployed
    /// revision agree; the next run upgrades.
    func testANextRevisionThatCannotBeWrittenLeavesTheBaseDeployed() throws {
        for fault in [FaultRule(method: "POST", path: "/secrets$", status: 500, message: "injected"),
                      FaultRule(method: "POST", path: "/secrets$", dropConnection: true)] {
            let h = try ClusterHarness.withInstalledMesh()
            h.sim.setFaults([fault])
            let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
            h.sim.setFaults([])
            XCTAssertEqual(up.status, 1)
            XCTAssertTrue(up.stderr.hasPrefix("Error: revision 2 of the Helm release record of mesh osm could not be created ("), up.stderr)
            XCTAssertTrue(up.stderr.hasSuffix("this one's change to osm-config was taken back: run it again\n"), up.stderr)
            XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "false")
            var records = try decoded(h)
            XCTAssertEqual(records.keys.sorted(), [1])
            XCTAssertEqual(deployedRevisions(records), [1], "\(fault)")
            XCTAssertEqual(records[1]?[path: "labels", "status"], "deployed")

            let again = try h.osm(["mesh", "upgrade", "--enable-egress"])
            XCTAssertEqual(again.status, 0, again.stderr)
            records = try decoded(h)
            XCTAssertEqual(deployedRevisions(records), [2])
            XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        }
    }

    /// The base's supersede answered 500 once (merge patches are not retried by the transport
    /// on a 500): it is sent again; one revision is deployed and the run succeeds.
    func testABaseWhoseSupersedeFailsOnceIsSentAgain() throws {
        let (h, up) = try upgradeOfAnInstalledMesh(faults: [FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.osm\\.v1$", count: 1, status: 500, message: "injected")])
        XCTAssertEqual(up.status, 0, up.stderr)
        let records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [2])
        XCTAssertEqual(records[1]?[path: "labels", "status"], "superseded")
    }

    /// The cluster change fails and so, once, does marking the base deployed again: it is sent
    /// again, and the base is deployed, the new revision failed.
    func testAnUndoWhoseWriteFailsOnceIsSentAgain() throws {
        let h = try ClusterHarness.withInstalledMesh()
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/configmaps/osm-config$", status: 500, message: "injected"),
                         FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.osm\\.v1$", skip: 1, count: 1, status: 500, message: "also injected")])
        let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
        h.sim.setFaults([])
        XCTAssertEqual(up.status, 1)
        XCTAssertFalse(up.stderr.contains("set back"), up.stderr)
        let records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [1])
        XCTAssertEqual(records[2]?[path: "labels", "status"], "failed")
    }

    /// The cluster change fails and the base cannot be marked deployed again: the new revision
    /// is left deployed rather than failed, so that one revision stays deployed; the error says
    /// so, and the next run makes the change and records it.
    func testAnUndoThatCannotRedeployTheBaseKeepsTheNewRevisionDeployed() throws {
        let h = try ClusterHarness.withInstalledMesh()
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/configmaps/osm-config$", status: 500, message: "injected"),
                         FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.osm\\.v1$", skip: 1, status: 500, message: "also injected")])
        let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
        h.sim.setFaults([])
        XCTAssertEqual(up.status, 1)
        XCTAssertTrue(up.stderr.contains("injected; the Helm release record of mesh osm could not be set back: revision 1 could not be marked deployed again ("), up.stderr)
        XCTAssertTrue(up.stderr.hasSuffix("also injected), so revision 2 stays the deployed one although its changes failed: run the same 'osm mesh upgrade' again to repair it\n"), up.stderr)
        var records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [2])
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "false")

        let again = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"], "true")
        records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [3])
    }

    /// An image patch fails after osm-config and the record moved (they go first): the record's
    /// move is undone; when marking the new revision failed fails too, the error says which
    /// revision stays deployed beside which.
    func testAFailedImagePatchAfterTheRecordMovedUndoesTheMove() throws {
        let h = try ClusterHarness.withInstalledMesh()
        h.sim.setFaults([FaultRule(method: "PATCH", path: "/deployments/osm-controller$", status: 500, message: "injected")])
        var up = try h.osm(["mesh", "upgrade", "--enable-egress", "--osm-image-tag", "v0.8.3"])
        XCTAssertEqual(up.status, 1)
        XCTAssertTrue(up.stderr.hasSuffix("injected\n") && !up.stderr.contains("set back"), up.stderr)
        var records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [1])
        XCTAssertEqual(records[2]?[path: "labels", "status"], "failed")

        h.sim.setFaults([FaultRule(method: "PATCH", path: "/deployments/osm-controller$", status: 500, message: "injected"),
                         FaultRule(method: "PATCH", path: "/secrets/sh\\.helm\\.release\\.v1\\.osm\\.v3$", status: 500, message: "also injected")])
        up = try h.osm(["mesh", "upgrade", "--enable-egress", "--osm-image-tag", "v0.8.3"])
        h.sim.setFaults([])
        XCTAssertEqual(up.status, 1)
        XCTAssertTrue(up.stderr.contains("could not be set back: revision 3 could not be marked failed ("), up.stderr)
        XCTAssertTrue(up.stderr.contains("so it stays deployed beside revision 1 although its changes failed"), up.stderr)
        records = try decoded(h)
        XCTAssertEqual(deployedRevisions(records), [1, 3])

        up = try h.osm(["mesh", "upgrade", "--enable-egress", "--osm-image-tag", "v0.8.3"])
        XCTAssertEqual(up.status, 0, up.stderr)
        XCTAssertEqual(h.deployment("osm-controller", in: "osm-system")?[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"],
                       "openservicemesh/osm-controller:v0.8.3")
        XCTAssertEqual(deployedRevisions(try decoded(h)).last, 4)
    }

    // MARK: two upgrades at once, moving images

    /// Two `mesh upgrade`s at once with different image tags, ten times: the Deployments' images
    /// always end as the deployed revision says; the loser's image patches are never applied.
    func testTwoUpgradesAtOnceLeaveTheImagesAsTheDeployedRevisionSays() throws {
        let h = try ClusterHarness { $0.latency = 0.02 }
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        final class Results: @unchecked Sendable { let lock = NSLock(); var all: [Int: ProcessResult] = [:] }
        let (kubeconfig, home) = (h.kubeconfig, h.dir)
        for round in 0..<10 {
            let tags = ["v0.8.\(round % 3)", "v0.9.\(round % 3)"]
            let commands = [["mesh", "upgrade", "--enable-egress=\(round % 2 == 0)", "--osm-image-tag", tags[0]],
                            ["mesh", "upgrade", "--envoy-log-level", round % 2 == 0 ? "debug" : "info", "--osm-image-tag", tags[1]]]
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let r = try? OSMBinary.run(commands[i], kubeconfig: kubeconfig, home: home)
                results.lock.lock()
                results.all[i] = r
                results.lock.unlock()
            }
            for i in 0..<2 {
                let r = try XCTUnwrap(results.all[i])
                if r.status != 0 {
                    XCTAssertTrue(r.stderr.contains("run it again") || r.stderr.contains("run the same 'osm mesh upgrade' again"), "round \(round): \(r.stderr)")
                }
            }
            let records = try decoded(h)
            let deployed = try XCTUnwrap(deployedRevisions(records).last.flatMap { records[$0] }, "round \(round): no deployed revision")
            let tag = deployed[path: "release", "config", "OpenServiceMesh", "image", "tag"]?.stringValue ?? "v0.8.4"
            for name in ["osm-controller", "osm-injector"] {
                let image = h.deployment(name, in: "osm-system")?[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"]?.stringValue
                XCTAssertEqual(image, "openservicemesh/\(name):\(tag)", "round \(round): \(results.all.values.map(\.stderr))")
            }
            let data = h.configMap("osm-config", in: "osm-system")?["data"]
            let values = deployed[path: "release", "config", "OpenServiceMesh"]
            XCTAssertEqual(values?["enableEgress"]?.boolValue.map { String($0) } ?? "false", data?["egress"]?.stringValue, "round \(round)")
        }
    }

    // MARK: objects of any kind in a manifest (issue 25)

    /// A mesh whose deployed revision (as Helm wrote it) lists, besides osm-config, objects of
    /// kinds osm's table does not know (a `coordination.k8s.io/v1` Lease, a custom resource
    /// `example.com/v1` Widget), one it knows of a group version looked up (`batch/v1` Job), and
    /// two the server does not serve (`policy/v1beta1` PodDisruptionBudget; `example.com/v1`
    /// Gadget, of a served group version).
    func meshWhoseManifestListsOtherKinds() throws -> ClusterHarness {
        let h = try ClusterHarness.withInstalledMesh()
        try h.sim.put(["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                       "metadata": ["name": "widgets.example.com"],
                       "spec": ["group": "example.com", "scope": "Namespaced",
                                "names": ["kind": "Widget", "plural": "widgets", "singular": "widget"],
                                "versions": [["name": "v1", "served": true, "storage": true,
                                              "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]]])
        try h.sim.put(["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "helm-lease", "namespace": "osm-system"], "spec": [:]])
        try h.sim.put(["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "helm-widget", "namespace": "osm-system"], "spec": ["size": 1]])
        try h.sim.put(["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "helm-job", "namespace": "osm-system"],
                       "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "busybox"]]]]]])
        for s in releaseSecrets(h) { _ = try h.kubectl(["delete", "secret", "-n", "osm-system", s[path: "metadata", "name"]!.stringValue!]) }
        func doc(_ file: String, _ apiVersion: String, _ kind: String, _ name: String) -> String {
            "---\n# Source: osm/templates/\(file)\napiVersion: \(apiVersion)\nkind: \(kind)\nmetadata:\n  name: \(name)\n"
        }
        let manifest = doc("osm-configmap.yaml", "v1", "ConfigMap", "osm-config")
            + doc("extra.yaml", "coordination.k8s.io/v1", "Lease", "helm-lease")
            + doc("extra.yaml", "example.com/v1", "Widget", "helm-widget")
            + doc("extra.yaml", "batch/v1", "Job", "helm-job")
            + doc("extra.yaml", "policy/v1beta1", "PodDisruptionBudget", "helm-pdb")
            + doc("extra.yaml", "example.com/v1", "Gadget", "helm-gadget")
        let fixture = try python(Self.helmFixture, [
            "name": "osm", "namespace": "osm-system", "manifest": .string(manifest),
            "revisions": [["version": 1, "status": "deployed", "description": "Install complete",
                           "last_deployed": "2021-06-01T10:00:00.123456789-07:00", "config": ["OpenServiceMesh": ["enableEgress": false]]]],
        ])
        for s in fixture.arrayValue ?? [] { try h.sim.put(s) }
        return h
    }

    func assertOtherKindsDeleted(_ h: ClusterHarness, _ stderr: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(h.sim.object(group: "coordination.k8s.io", version: "v1", resource: "leases", namespace: "osm-system", name: "helm-lease"), file: file, line: line)
        XCTAssertNil(h.sim.object(group: "example.com", version: "v1", resource: "widgets", namespace: "osm-system", name: "helm-widget"), file: file, line: line)
        XCTAssertNil(h.sim.object(group: "batch", version: "v1", resource: "jobs", namespace: "osm-system", name: "helm-job"), file: file, line: line)
        for kind in ["Lease osm-system/helm-lease", "Widget osm-system/helm-widget", "Job osm-system/helm-job"] {
            XCTAssertTrue(stderr.contains("Deleted \(kind)"), "\(kind): \(stderr)", file: file, line: line)
        }
        XCTAssertTrue(stderr.contains("Warning: Helm release osm lists PodDisruptionBudget osm-system/helm-pdb (policy/v1beta1), which was not deleted: no matches for kind \"PodDisruptionBudget\" in version \"policy/v1beta1\" (the API server does not serve it)\n"), stderr, file: file, line: line)
        XCTAssertTrue(stderr.contains("Warning: Helm release osm lists Gadget helm-gadget (example.com/v1), which was not deleted: no matches for kind \"Gadget\" in version \"example.com/v1\" (the API server does not serve it)\n"), stderr, file: file, line: line)
    }

    /// As `helm uninstall` (its RESTMapper reads the server's discovery): objects of any kind the
    /// last manifest lists are deleted; a kind the server does not serve is said, not skipped
    /// silently.
    func testUninstallDeletesObjectsOfKindsOsmDoesNotKnowAndWarnsOfUnservedOnes() throws {
        let h = try meshWhoseManifestListsOtherKinds()
        let un = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(un.status, 0, un.stderr)
        assertOtherKindsDeleted(h, un.stderr)
        XCTAssertTrue(releaseSecrets(h).isEmpty)
        XCTAssertNil(h.configMap("osm-config", in: "osm-system"))
    }

    /// An uninstall of a mesh osm installed (every object it lists found by its labels) reads no
    /// discovery document: no round trip added.
    func testUninstallOfAnOsmInstallReadsNoDiscovery() throws {
        let h = try ClusterHarness.withInstalledMesh(["--deploy-jaeger", "--deploy-prometheus", "--deploy-grafana"])
        h.sim.clearRequestLog()
        let un = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(un.status, 0, un.stderr)
        XCTAssertFalse(un.stderr.contains("Warning"), un.stderr)
        let discovery = h.sim.requestLog.filter { $0.method == "GET" && ($0.path == "/api/v1" || $0.path.split(separator: "/").count == 3 && $0.path.hasPrefix("/apis/")) }
        XCTAssertEqual(discovery.map(\.path), [])
    }

    /// As Helm's upgrade: what the deployed manifest lists and the next does not goes, whatever
    /// its kind; the dry run says what would go and what cannot.
    func testUpgradeDeletesObjectsOfKindsOsmDoesNotKnowAndWarnsOfUnservedOnes() throws {
        let h = try meshWhoseManifestListsOtherKinds()
        let dry = try h.osm(["mesh", "upgrade", "--enable-egress", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("Would delete Lease osm-system/helm-lease"), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("Would delete Widget osm-system/helm-widget"), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("which was not deleted: no matches for kind \"Gadget\""), dry.stderr)
        XCTAssertNotNil(h.sim.object(group: "coordination.k8s.io", version: "v1", resource: "leases", namespace: "osm-system", name: "helm-lease"))

        let up = try h.osm(["mesh", "upgrade", "--enable-egress"])
        XCTAssertEqual(up.status, 0, up.stderr)
        assertOtherKindsDeleted(h, up.stderr)
        XCTAssertEqual(deployedRevisions(try decoded(h)), [2])
    }
}
