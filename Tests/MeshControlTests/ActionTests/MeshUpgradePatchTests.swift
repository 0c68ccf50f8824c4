import KubeClient
import MeshControl
import XCTest
import ObjectModel

/// The `osm-config` merge patch holds exactly the keys whose flags were given.
final class MeshUpgradePatchTests: XCTestCase {
    let installed = [
        "egress": "true", "envoy_log_level": "error", "service_cert_validity_duration": "24h",
        "tracing_enable": "false", "written_by": "someone-else",
    ]

    func testPatchHoldsOnlyTheGivenKeys() throws {
        var u = MeshUpgrade()
        u.enableEgress = false
        let (patch, changes) = try u.configPatch(current: installed)
        XCTAssertEqual(patch, ["data": ["egress": "false"]])
        XCTAssertEqual(changes, [MeshUpgrade.Change(key: "egress", old: "true", new: "false")])

        u.envoyLogLevel = "debug"
        let (both, _) = try u.configPatch(current: installed)
        XCTAssertEqual(both, ["data": ["egress": "false", "envoy_log_level": "debug"]])
    }

    func testNothingToChangeMeansNoPatch() throws {
        var u = MeshUpgrade()
        u.enableEgress = true
        u.serviceCertValidityDuration = try GoDuration(parsing: "24h0m0s")  // the same length as "24h"
        let (patch, changes) = try u.configPatch(current: installed)
        XCTAssertNil(patch)
        XCTAssertEqual(changes, [])
        XCTAssertNil(try MeshUpgrade().configPatch(current: installed).patch, "no flags, no patch")
    }

    func testEnablingTracingFillsTheChartDefaultsWhenMissing() throws {
        var u = MeshUpgrade()
        u.namespace = "mesh-ns"
        u.enableTracing = true
        u.tracingPort = 14268
        let (patch, _) = try u.configPatch(current: installed)
        XCTAssertEqual(patch, ["data": [
            "tracing_enable": "true", "tracing_port": "14268",
            "tracing_address": "jaeger.mesh-ns.svc.cluster.local", "tracing_endpoint": "/api/v2/spans",
        ]])
    }

    func testBadValuesAreRefused() {
        for configure: (inout MeshUpgrade) -> Void in [
            { $0.envoyLogLevel = "loud" }, { $0.tracingPort = 0 }, { $0.tracingPort = 70000 },
            { $0.serviceCertValidityDuration = GoDuration(nanoseconds: -1) }, { $0.outboundIPRangeExclusionList = ["10.0.0.0/8", "1.2.3/4"] },
            { $0.tracingEndpoint = "no-slash" },
        ] {
            var u = MeshUpgrade()
            configure(&u)
            XCTAssertThrowsError(try u.configPatch(current: installed))
        }
    }
}
