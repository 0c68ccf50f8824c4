@testable import MeshControl
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
        // Go's gzip.BestCompression: zlib marks level 9 in the header's XFL byte.
        XCTAssertEqual(gz[8], 2)
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
