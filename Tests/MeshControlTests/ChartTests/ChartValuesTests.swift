import XCTest
import ObjectModel

@testable import MeshControl

/// Install flags and `--set` into chart values; local validation with upstream's messages.
final class ChartValuesTests: XCTestCase {
    func message(_ configure: (inout InstallValues) -> Void) -> String? {
        var v = InstallValues()
        configure(&v)
        do {
            try v.validate()
            return nil
        } catch {
            return error.message
        }
    }

    // MARK: validation, in upstream's order

    func testDefaultsAreValid() {
        XCTAssertNil(message { _ in })
    }

    func testMeshNameMustBeALabelValue() {
        // Upstream's exact text (cmd/cli/install.go isValidMeshName), which names no value.
        let expected = "Invalid mesh-name.\nValid mesh-name:\n- must be no longer than 63 characters\n- must consist of alphanumeric characters, '-', '_' or '.'\n- must start and end with an alphanumeric character\nregex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'"
        XCTAssertEqual(message { $0.meshName = "-bad" }, expected)
        XCTAssertEqual(message { $0.meshName = "bad name" }, expected)
        XCTAssertNil(message { $0.certificateManager = "vault"; $0.vaultToken = "t"; $0.vaultHost = "h" })
    }

    func testEnvoyLogLevel() {
        XCTAssertEqual(
            message { $0.envoyLogLevel = "loud" },
            "Invalid envoy log level.\n A valid envoy log level must be one from the following : [trace debug info warning warn error critical off]"
        )
        XCTAssertNil(message { $0.envoyLogLevel = "DEBUG" })
    }

    func testEnvoyLogLevelIsLowercasedInValues() throws {
        var v = InstallValues()
        v.envoyLogLevel = "Warning"
        XCTAssertEqual(try v.chartValues()[path: "OpenServiceMesh", "envoyLogLevel"], "warning")
    }

    func testServiceCertValidityDuration() {
        XCTAssertEqual(message { $0.serviceCertValidityDuration = "1 day" }, #"time: invalid duration "1 day""#)
        XCTAssertNil(message { $0.serviceCertValidityDuration = "1h30m" })
    }

    func testBadSetSyntaxIsReportedAsUpstreamDoes() {
        XCTAssertEqual(message { $0.sets = ["foo"] }, #"invalid format for --set: key "foo" has no value"#)
        XCTAssertEqual(
            message { $0.sets = ["OpenServiceMesh.foo"] }, #"invalid format for --set: key map "OpenServiceMesh" has no value"#)
    }

    func testSchemaRejectsUnknownCertificateManagerAndPullPolicy() {
        let prefix = "values don't meet the specifications of the schema(s) in the following chart(s):\nosm:\n"
        XCTAssertEqual(
            message { $0.certificateManager = "acme" },
            prefix + "- OpenServiceMesh.certificateManager: Does not match pattern '^(tresor|vault|cert-manager)$'")
        XCTAssertEqual(
            message { $0.osmImagePullPolicy = "Sometimes" },
            prefix + "- OpenServiceMesh.image.pullPolicy: Does not match pattern '^(Always|Never|IfNotPresent)?$'")
        XCTAssertEqual(
            message { $0.sets = ["OpenServiceMesh.replicaCount=two"] },
            prefix + "- OpenServiceMesh.replicaCount: Invalid type. Expected: integer, given: string")
        XCTAssertEqual(
            message { $0.sets = ["OpenServiceMesh.tracing.enable=yes"] },
            prefix + "- OpenServiceMesh.tracing.enable: Invalid type. Expected: boolean, given: string")
        // --set types `2` as an integer and the schema wants a string: upstream rejects it too.
        XCTAssertEqual(
            message { $0.sets = ["OpenServiceMesh.osmcontroller.resource.limits.cpu=2"] },
            prefix + "- OpenServiceMesh.osmcontroller.resource.limits.cpu: Invalid type. Expected: string, given: integer")
        // Flags reach the chart through strvals too, so a numeric mesh name or tag is an integer there.
        XCTAssertEqual(
            message { $0.meshName = "123" },
            prefix + "- OpenServiceMesh.meshName: Invalid type. Expected: string, given: integer")
        XCTAssertEqual(
            message { $0.sets = ["OpenServiceMesh.fluentBit=null"] },
            prefix + "- OpenServiceMesh: fluentBit is required")
    }

    func testCheckOrderAroundTheClusterChecks() {
        var v = InstallValues()
        v.certificateManager = "vault"
        v.envoyLogLevel = "loud"
        XCTAssertThrowsError(try v.validateBeforeClusterChecks())
        v.vaultHost = "h"
        v.vaultToken = "t"
        XCTAssertNoThrow(try v.validateBeforeClusterChecks())
        XCTAssertThrowsError(try v.validateAfterClusterChecks())
    }

    // MARK: values

    func testFlagsMapToChartValues() throws {
        var v = InstallValues()
        v.meshName = "m1"
        v.enableEgress = true
        v.containerRegistry = "reg.example"
        v.osmImageTag = "v9"
        v.containerRegistrySecret = "creds"
        v.prometheusRetentionTime = "2d"
        v.vaultHost = "vault"
        let mesh = try XCTUnwrap(v.chartValues()["OpenServiceMesh"])
        XCTAssertEqual(mesh["meshName"], "m1")
        XCTAssertEqual(mesh["enableEgress"], true)
        XCTAssertEqual(mesh[path: "image", "registry"], "reg.example")
        XCTAssertEqual(mesh[path: "image", "tag"], "v9")
        XCTAssertEqual(mesh["imagePullSecrets"], [["name": "creds"]])
        XCTAssertEqual(mesh[path: "prometheus", "retention", "time"], "2d")
        XCTAssertEqual(mesh[path: "prometheus", "port"], 7070)
        XCTAssertEqual(mesh[path: "vault", "host"], "vault")
        XCTAssertEqual(mesh[path: "vault", "token"], "")
        XCTAssertEqual(mesh[path: "certmanager", "issuerGroup"], "cert-manager.io")
        XCTAssertEqual(mesh["sidecarImage"], "envoyproxy/envoy-alpine:v1.17.3")
    }

    func testFlagsWinOverSetForTheKeysTheyOwn() throws {
        var v = InstallValues()
        v.sets = ["OpenServiceMesh.enableEgress=true,OpenServiceMesh.meshName=other", "OpenServiceMesh.useHTTPSIngress=true"]
        let mesh = try XCTUnwrap(v.chartValues()["OpenServiceMesh"])
        XCTAssertEqual(mesh["enableEgress"], false)
        XCTAssertEqual(mesh["meshName"], "osm")
        XCTAssertEqual(mesh["useHTTPSIngress"], true)
    }

    func testSetMergesIntoDefaultsAndNullRemoves() throws {
        var v = InstallValues()
        v.sets = ["OpenServiceMesh.osmcontroller.resource.limits.cpu=2500m", "OpenServiceMesh.tracing.address=null"]
        let mesh = try XCTUnwrap(v.chartValues()["OpenServiceMesh"])
        XCTAssertEqual(mesh[path: "osmcontroller", "resource", "limits", "cpu"], "2500m")
        XCTAssertEqual(mesh[path: "osmcontroller", "resource", "limits", "memory"], "512M")
        XCTAssertNil(mesh[path: "tracing", "address"])
        XCTAssertEqual(mesh[path: "tracing", "port"], 9411)
    }

    func testPrometheusScrapingWarning() {
        var v = InstallValues()
        XCTAssertEqual(v.warnings(namespace: "osm-system"), [])
        v.deployPrometheus = true
        v.enablePrometheusScraping = false
        XCTAssertEqual(
            v.warnings(namespace: "osm-system"),
            ["Prometheus scraping is disabled. To enable it, set prometheus_scraping in osm-system/osm-config to true."])
    }
}
