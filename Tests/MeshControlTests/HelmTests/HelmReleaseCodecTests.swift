@testable import MeshControl
import Foundation
import XCTest
import ObjectModel
import YAMLCodec

/// The release encoding of Helm v3.2's storage driver, and the pieces of Helm's logic osm repeats.
final class HelmReleaseCodecTests: XCTestCase {
    func release(_ status: HelmRelease.Status = .deployed) -> HelmRelease {
        HelmRelease(name: "osm", info: .init(firstDeployed: "2021-06-01T10:00:00Z", lastDeployed: "2021-06-01T10:00:00Z",
                                             description: "Install complete", status: status),
                    chart: HelmChartRecord.osm, config: ["OpenServiceMesh": ["enableEgress": true]],
                    manifest: "---\n# Source: osm/templates/osm-configmap.yaml\nkind: ConfigMap\n", version: 1, namespace: "osm-system")
    }

    func testEncodeDecodeRoundTripsThroughGzipAndBase64() throws {
        let r = release()
        let encoded = try r.encoded()
        let gz = try XCTUnwrap(Base64.decode(encoded))
        XCTAssertTrue(Gzip.isGzip(gz))
        // Helm compresses at level 9 (gzip.BestCompression), osm at 1 with its first two members
        // stored (HelmRelease.encoded()); no reader looks at the level (the XFL byte).
        XCTAssertEqual(try HelmRelease(encoded: encoded), r)
        let json = try JSONValue(parsing: try Gzip.decompress(gz))
        XCTAssertEqual(json.objectValue?.keys, ["name", "info", "chart", "config", "manifest", "version", "namespace"])
        XCTAssertEqual(json["info"]?.objectValue?.keys, ["first_deployed", "last_deployed", "deleted", "description", "status"])
        XCTAssertEqual(json[path: "info", "deleted"], "", "Go writes a zero time as \"\"")
    }

    func testDecodesPlainJSONRecordsAsHelmDoesAndKeepsUnknownKeys() throws {
        // Releases stored before Helm compressed them, and keys a later Helm adds.
        let plain = #"{"name":"osm","info":{"status":"superseded","deleted":"","readme":"x"},"version":2,"labels":{"a":"b"}}"#
        let r = try HelmRelease(encoded: Base64.encode(Array(plain.utf8)))
        XCTAssertEqual(r.info.status, .superseded)
        XCTAssertEqual(r.version, 2)
        XCTAssertEqual(r.json["labels"], ["a": "b"])
        XCTAssertEqual(r.json[path: "info", "readme"], "x")
        XCTAssertThrowsError(try HelmRelease(encoded: "not base64!"))
        XCTAssertThrowsError(try HelmRelease(encoded: Base64.encode([0x1F, 0x8B, 0x08, 0, 0])), "truncated gzip")
    }

    func testGzipRoundTripsLargeAndEmptyInput() throws {
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 7)) }
        XCTAssertEqual(try Gzip.decompress(try Gzip.compress(big)), big)
        XCTAssertEqual(try Gzip.decompress(try Gzip.compress([])), [])
        XCTAssertThrowsError(try Gzip.decompress(try Gzip.compress(big), limit: 1000))
    }

    /// A record is three gzip members, which every gzip reader (Go's, which Helm reads with;
    /// Python's; zlib's gunzip) reads as one stream: the JSON up to `info.status`'s value, the
    /// value, the rest.
    func testRecordsAreThreeMembersWithTheStatusAlone() throws {
        let r = release()
        let gz = try XCTUnwrap(Base64.decode(try r.encoded()))
        var members: [Gzip.Member] = []
        let json = try Gzip.decompress(gz, members: &members)
        XCTAssertEqual(json, r.json.jsonBytes())
        XCTAssertEqual(members.count, 3)
        XCTAssertEqual(String(decoding: json[members[1].content], as: UTF8.self), #""deployed""#)
        XCTAssertTrue(String(decoding: json[members[0].content], as: UTF8.self).hasSuffix(#""status":"#))
        XCTAssertEqual(members.map(\.compressed.count).reduce(0, +), gz.count)
        // Without a status there is nothing to set apart: one member.
        var none = r
        none.info.status = HelmRelease.Status(rawValue: "")
        var one: [Gzip.Member] = []
        _ = try Gzip.decompress(try XCTUnwrap(Base64.decode(try none.encoded())), members: &one)
        XCTAssertEqual(one.count, 1)
    }

    func decodeKeepingBytes(_ encoded: String) throws -> (HelmRelease, HelmRelease.Stored) {
        var budget = HelmRelease.decodeBudget
        var stored: HelmRelease.Stored? = nil
        let r = try HelmRelease(encoded: encoded, budget: &budget, stored: &stored)
        return (r, try XCTUnwrap(stored))
    }

    func members(_ encoded: String) throws -> (json: [UInt8], members: [Gzip.Member], gzip: [UInt8]) {
        let gz = try XCTUnwrap(Base64.decode(encoded))
        var members: [Gzip.Member] = []
        return (try Gzip.decompress(gz, members: &members), members, gz)
    }

    /// Superseding a record (or deploying it again) rewrites its status member only, and the
    /// result is what a full encode of the changed release reads as.
    func testStatusChangeReusesTheOtherMembers() throws {
        let original = try release(.deployed).encoded()
        let (read, stored) = try decodeKeepingBytes(original)
        for status in [HelmRelease.Status.superseded, .failed, .deployed, HelmRelease.Status(rawValue: "a\"quoted\\status")] {
            var changed = read
            changed.info.status = status
            let rewritten = try changed.encoded(reusing: stored)
            XCTAssertEqual(try HelmRelease(encoded: rewritten), changed)
            let before = try members(original), after = try members(rewritten)
            XCTAssertEqual(after.json, changed.json.jsonBytes(), "the JSON a full encode writes")
            XCTAssertEqual(after.members.count, 3)
            XCTAssertEqual(after.gzip[after.members[0].compressed], before.gzip[before.members[0].compressed])
            XCTAssertEqual(after.gzip[after.members[2].compressed], before.gzip[before.members[2].compressed])
        }
        // Anything else changed as well: encoded in full.
        var described = read
        described.info.status = .failed
        described.info.description = "Upgrade \"osm\" failed"
        XCTAssertEqual(try HelmRelease(encoded: try described.encoded(reusing: stored)), described)
        var renumbered = read
        renumbered.version = 9
        XCTAssertEqual(try HelmRelease(encoded: try renumbered.encoded(reusing: stored)), renumbered)
    }

    /// A record Helm wrote (one member, best compression; Go escapes <, > and & in strings):
    /// its JSON is kept with the status replaced, or it is encoded in full when the JSON is not
    /// laid out as this osm would write it.
    func testStatusChangeOfAHelmWrittenRecord() throws {
        let r = release(.deployed)
        let helmWritten = Base64.encode(try Gzip.compress(r.json.jsonBytes(), level: 9))
        let (read, stored) = try decodeKeepingBytes(helmWritten)
        var superseded = read
        superseded.info.status = .superseded
        let rewritten = try superseded.encoded(reusing: stored)
        XCTAssertEqual(try HelmRelease(encoded: rewritten), superseded)
        XCTAssertEqual(try members(rewritten).json, superseded.json.jsonBytes())
        XCTAssertEqual(try members(rewritten).members.count, 3)

        var html = r
        html.info.description = "Install <complete> & done"
        let goJSON = String(decoding: html.json.jsonBytes(), as: UTF8.self)
            .replacingOccurrences(of: "<complete> & done", with: #"\u003ccomplete\u003e \u0026 done"#)
        let (readHTML, storedHTML) = try decodeKeepingBytes(Base64.encode(try Gzip.compress(Array(goJSON.utf8), level: 9)))
        XCTAssertEqual(readHTML, html)
        var supersededHTML = readHTML
        supersededHTML.info.status = .superseded
        XCTAssertEqual(try HelmRelease(encoded: try supersededHTML.encoded(reusing: storedHTML)), supersededHTML)
    }

    func testGzipReadsConcatenatedMembersAsOneStream() throws {
        var stream = try Gzip.compress(Array("first ".utf8))
        Gzip.appendStored(Array("second ".utf8), to: &stream)
        stream += try Gzip.compress(Array("third".utf8), level: 1)
        var members: [Gzip.Member] = []
        XCTAssertEqual(String(decoding: try Gzip.decompress(stream, members: &members), as: UTF8.self), "first second third")
        XCTAssertEqual(members.map(\.content), [0..<6, 6..<13, 13..<18])
        XCTAssertEqual(members.last?.compressed.upperBound, stream.count)
        XCTAssertEqual(try Gzip.stream(of: [.deflated(Array("a".utf8)[...]), .stored(Array("b".utf8)), .member(stream[...])], level: 1)
            .count > stream.count, true)
        XCTAssertEqual(try Gzip.decompress(try Gzip.stream(of: [.deflated(Array("a".utf8)[...]), .stored([]), .member(stream[...])], level: 6)),
                       Array("afirst second third".utf8))
        // Go's reader: bytes after a member that are no gzip member are an error.
        XCTAssertThrowsError(try Gzip.decompress(stream + [0, 0, 0, 0]))
        // The stored member's CRC is checked (zlib's gunzip, as Go's reader).
        var corrupt: [UInt8] = []
        Gzip.appendStored(Array("x".utf8), to: &corrupt)
        corrupt[corrupt.count - 8] ^= 1
        XCTAssertThrowsError(try Gzip.decompress(corrupt))
        XCTAssertEqual(Gzip.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertThrowsError(try Gzip.decompress(stream + stream, limit: 20), "the limit counts every member")
    }

    func testTimesAreGoRFC3339Nano() {
        XCTAssertEqual(HelmTime.format(seconds: 1_622_541_600, nanoseconds: 0), "2021-06-01T10:00:00Z")
        XCTAssertEqual(HelmTime.format(seconds: 1_622_541_600, nanoseconds: 120_000_000), "2021-06-01T10:00:00.12Z")
        XCTAssertEqual(HelmTime.format(seconds: 1_622_541_600, nanoseconds: 5), "2021-06-01T10:00:00.000000005Z")
    }

    func testCoalesceTablesAsHelm() {
        let dst: JSONValue = ["a": ["x": 1, "gone": nil], "b": "keep", "t": "scalar"]
        let src: JSONValue = ["a": ["x": 2, "y": 3, "gone": 4], "b": "lose", "c": true, "t": ["table": 1]]
        XCTAssertEqual(HelmUpgradeRecord.coalesceTables(dst, src), ["a": ["x": 1, "y": 3], "b": "keep", "c": true, "t": "scalar"])
    }

    /// The record renders without the chart's CRDs, which a manifest never lists: the same manifest.
    func testRecordRenderWithoutCRDsIsTheSameManifest() throws {
        var values = InstallValues()
        values.deployPrometheus = true
        values.deployGrafana = true
        let all = try ControlPlaneManifest.render(values: try values.chartValues(), namespace: "osm-system")
        let noCRDs = try ControlPlaneManifest.render(values: try values.chartValues(), namespace: "osm-system", crds: false)
        XCTAssertEqual(noCRDs, all.filter { $0["kind"] != "CustomResourceDefinition" })
        XCTAssertLessThan(noCRDs.count, all.count)
        XCTAssertEqual(HelmManifest.render(objects: noCRDs, releaseName: "osm"), HelmManifest.render(objects: all, releaseName: "osm"))
    }

    func testManifestIsInHelmsOrderWithTemplateSources() throws {
        var values = InstallValues()
        values.deployPrometheus = true
        values.deployGrafana = true
        values.deployJaeger = true
        values.enableFluentbit = true
        let objects = try ControlPlaneManifest.render(values: try values.chartValues(), namespace: "osm-system")
        let manifest = HelmManifest.render(objects: objects.reversed(), releaseName: "osm")
        let parts = manifest.components(separatedBy: "---\n# Source: ").dropFirst()
        XCTAssertEqual(parts.count, objects.filter { $0["kind"] != "CustomResourceDefinition" }.count)
        var seen: [(String, String, String)] = []
        for p in parts {
            let lines = p.split(separator: "\n", maxSplits: 1)
            let o = try YAML.parse(String(lines[1]))
            seen.append((String(lines[0]), o["kind"]?.stringValue ?? "", o[path: "metadata", "name"]?.stringValue ?? ""))
        }
        XCTAssertEqual(seen.map(\.1), objects.map { $0["kind"]?.stringValue ?? "" }.filter { $0 != "CustomResourceDefinition" },
                       "kinds in Helm's install order, whatever order the objects come in")
        let source = Dictionary(seen.map { ("\($0.1)/\($0.2)", $0.0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(source["ServiceAccount/osm-grafana"], "osm/templates/grafana-rbac.yaml")
        XCTAssertEqual(source["ClusterRole/osm-prometheus"], "osm/templates/prometheus-rbac.yaml")
        XCTAssertEqual(source["ConfigMap/osm-prometheus-server-conf"], "osm/templates/prometheus-configmap.yaml")
        XCTAssertEqual(source["ConfigMap/osm-grafana-datasources"], "osm/templates/grafana-configmap.yaml")
        XCTAssertEqual(source["ConfigMap/fluentbit-configmap"], "osm/templates/fluentbit-configmap.yaml")
        XCTAssertEqual(source["Deployment/jaeger"], "osm/templates/jaeger-deployment.yaml")
        XCTAssertEqual(source["Service/jaeger"], "osm/templates/jaeger-service.yaml")
        XCTAssertEqual(source["Service/osm-prometheus"], "osm/templates/prometheus-svc.yaml")
        XCTAssertEqual(source["ValidatingWebhookConfiguration/osm-webhook-osm"], "osm/templates/validatingwebhook.yaml")
        XCTAssertTrue(manifest.hasSuffix("\n") && !manifest.hasSuffix("\n\n"))
    }

    func testOwnershipMetadataMergesIntoExistingLabels() {
        let o: JSONValue = ["kind": "ConfigMap", "metadata": ["name": "osm-config", "labels": ["app": "x"], "annotations": ["k": "v"]]]
        let owned = HelmOwnership.apply(to: o, releaseName: "osm", releaseNamespace: "osm-system")
        XCTAssertEqual(owned[path: "metadata", "labels"], ["app": "x", "app.kubernetes.io/managed-by": "Helm"])
        XCTAssertEqual(owned[path: "metadata", "annotations"],
                       ["k": "v", "meta.helm.sh/release-name": "osm", "meta.helm.sh/release-namespace": "osm-system"])
        let crd: JSONValue = ["kind": "CustomResourceDefinition", "metadata": ["name": "x"]]
        XCTAssertEqual(HelmOwnership.apply(to: crd, releaseName: "osm", releaseNamespace: "osm-system"), crd)
    }
}
