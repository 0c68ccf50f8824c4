import Foundation
import XCTest
import ObjectModel

/// Upstream's multi-line error texts, byte for byte, and the upgrade behaviours upstream users
/// rely on (tracing keys dropped with tracing, images following the image flags).
final class UpstreamTextTests: XCTestCase {
    func testInstallErrorTextsAreUpstreams() throws {
        let h = try ClusterHarness()
        // pflag gives a value-taking flag the next word even when it starts with a dash.
        let name = try h.osm(["install", "--mesh-name", "-bad"])
        XCTAssertEqual(name.status, 1)
        // cmd/cli/install.go isValidMeshName, as cobra prints it (install_test.go expects these bytes).
        XCTAssertEqual(name.stderr, """
            Error: Invalid mesh-name.
            Valid mesh-name:
            - must be no longer than 63 characters
            - must consist of alphanumeric characters, '-', '_' or '.'
            - must start and end with an alphanumeric character
            regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'

            """)
        let level = try h.osm(["install", "--envoy-log-level", "loud"])
        XCTAssertEqual(level.status, 1)
        XCTAssertEqual(level.stderr, "Error: Invalid envoy log level.\n A valid envoy log level must be one from the following : [trace debug info warning warn error critical off]\n")
        XCTAssertNil(h.deployment("osm-controller", in: "osm-system"), "nothing installed")
    }

    func testUpgradeRefusesAnUpperCaseEnvoyLogLevelAsTheChartSchema() throws {
        let h = try ClusterHarness.withInstalledMesh(["--envoy-log-level", "DEBUG"])
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "envoy_log_level"]?.stringValue, "debug",
                       "install lower-cases the level, as upstream")
        let r = try h.osm(["mesh", "upgrade", "--envoy-log-level", "DEBUG"])
        XCTAssertEqual(r.status, 1)
        // Helm's schema error (chartutil.ToRenderValues over gojsonschema), ending in a newline that cobra follows with another.
        XCTAssertEqual(r.stderr, """
            Error: values don't meet the specifications of the schema(s) in the following chart(s):
            osm:
            - OpenServiceMesh.envoyLogLevel: Does not match pattern '^(trace|debug|info|warning|warn|error|critical|off)$'


            """)
        XCTAssertEqual(try h.osm(["mesh", "upgrade", "--envoy-log-level", "warn"]).status, 0)
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "envoy_log_level"]?.stringValue, "warn")
    }

    func testDisablingTracingRemovesItsKeysAsUpstreamsRerender() throws {
        let h = try ClusterHarness.withInstalledMesh(["--deploy-jaeger"])
        let on = try h.osm(["mesh", "upgrade", "--enable-tracing", "--tracing-port", "9412"])
        XCTAssertEqual(on.status, 0, on.stderr)
        var data = h.configMap("osm-config", in: "osm-system")?["data"]?.stringMap ?? [:]
        XCTAssertEqual(data["tracing_enable"], "true")
        XCTAssertEqual(data["tracing_address"], "jaeger.osm-system.svc.cluster.local")
        XCTAssertEqual(data["tracing_port"], "9412")
        XCTAssertEqual(data["tracing_endpoint"], "/api/v2/spans")

        let dry = try h.osm(["mesh", "upgrade", "--enable-tracing=false", "--dry-run"])
        XCTAssertEqual(dry.stdout, """
            tracing_enable: "true" -> "false"
            tracing_address: "jaeger.osm-system.svc.cluster.local" -> (unset)
            tracing_port: "9412" -> (unset)
            tracing_endpoint: "/api/v2/spans" -> (unset)
            Helm release osm: revision 3 would be recorded

            """)
        let off = try h.osm(["mesh", "upgrade", "--enable-tracing=false", "--tracing-address", "zipkin.example"])
        XCTAssertEqual(off.status, 0, off.stderr)
        data = h.configMap("osm-config", in: "osm-system")?["data"]?.stringMap ?? [:]
        XCTAssertEqual(data["tracing_enable"], "false")
        for key in ["tracing_address", "tracing_port", "tracing_endpoint"] {
            XCTAssertNil(data[key], "\(key): the chart renders it only while tracing is on")
        }
        XCTAssertEqual(data["egress"], "false", "other keys stay")
    }

    func testImagesFollowTheImageFlagsWithANoticeFirst() throws {
        let h = try ClusterHarness.withInstalledMesh(["--osm-image-tag", "v0.8.3"])
        func image(_ name: String) -> String? {
            h.deployment(name, in: "osm-system")?[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"]?.stringValue
        }
        XCTAssertEqual(image("osm-controller"), "openservicemesh/osm-controller:v0.8.3")

        // Same images as the flags: a config change restarts nothing and says nothing about images.
        let keep = try h.osm(["mesh", "upgrade", "--enable-egress=true", "--osm-image-tag", "v0.8.3"])
        XCTAssertEqual(keep.status, 0, keep.stderr)
        XCTAssertEqual(keep.stderr, "")
        XCTAssertEqual(image("osm-controller"), "openservicemesh/osm-controller:v0.8.3")

        // Not given, the flags' defaults apply, as upstream: the images move, announced first.
        let move = try h.osm(["mesh", "upgrade", "--enable-egress=false"], combined: true)
        XCTAssertEqual(move.status, 0)
        XCTAssertEqual(move.stdout, """
            Moving deployment/osm-controller image from openservicemesh/osm-controller:v0.8.3 to openservicemesh/osm-controller:v0.8.4: its pods will restart
            Moving deployment/osm-injector image from openservicemesh/osm-injector:v0.8.3 to openservicemesh/osm-injector:v0.8.4: its pods will restart
            OSM successfully upgraded mesh osm

            """)
        XCTAssertEqual(image("osm-controller"), "openservicemesh/osm-controller:v0.8.4")
        XCTAssertEqual(image("osm-injector"), "openservicemesh/osm-injector:v0.8.4")
        XCTAssertEqual(h.configMap("osm-config", in: "osm-system")?[path: "data", "egress"]?.stringValue, "false")

        // On default images, flipping egress never restarts the control plane.
        let generation = h.deployment("osm-controller", in: "osm-system")?[path: "metadata", "generation"]
        let flip = try h.osm(["mesh", "upgrade", "--enable-egress=true"])
        XCTAssertEqual(flip.stderr, "")
        XCTAssertEqual(h.deployment("osm-controller", in: "osm-system")?[path: "metadata", "generation"], generation)
    }
}
