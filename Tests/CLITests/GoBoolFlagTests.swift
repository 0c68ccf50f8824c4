import Foundation
import XCTest
@testable import OSMCommandLine

/// Go pflag bool syntax: `--flag`, `--flag=<ParseBool spelling>`; bad values and the
/// space-separated form are usage errors.
final class GoBoolFlagTests: XCTestCase {
    static let trueSpellings = ["1", "t", "T", "TRUE", "true", "True"]
    static let falseSpellings = ["0", "f", "F", "FALSE", "false", "False"]

    func testEverySpellingSetsTheValue() throws {
        for spelling in Self.trueSpellings {
            let install = try InProcessParse.parse(["install", "--enable-egress=\(spelling)"], as: InstallCommand.self)
            XCTAssertTrue(install.enableEgress, spelling)
            let upgrade = try InProcessParse.parse(["mesh", "upgrade", "--enable-egress=\(spelling)"], as: MeshUpgradeCommand.self)
            XCTAssertEqual(upgrade.enableEgress, true, spelling)
        }
        for spelling in Self.falseSpellings {
            let install = try InProcessParse.parse(["install", "--enable-prometheus-scraping=\(spelling)"], as: InstallCommand.self)
            XCTAssertFalse(install.enablePrometheusScraping, spelling)
            let upgrade = try InProcessParse.parse(["mesh", "upgrade", "--enable-egress=\(spelling)"], as: MeshUpgradeCommand.self)
            XCTAssertEqual(upgrade.enableEgress, false, spelling)
        }
    }

    func testBareFlagMeansTrueAndDefaultsHold() throws {
        let install = try InProcessParse.parse(["install", "--enable-egress", "--atomic"], as: InstallCommand.self)
        XCTAssertTrue(install.enableEgress)
        XCTAssertTrue(install.atomic)
        XCTAssertFalse(install.deployJaeger)
        XCTAssertTrue(install.enablePrometheusScraping)
        let last = try InProcessParse.parse(["install", "--enable-egress", "--enable-egress=false"], as: InstallCommand.self)
        XCTAssertFalse(last.enableEgress, "the last occurrence wins, as in pflag")
        let uninstall = try InProcessParse.parse(["mesh", "uninstall", "-f"], as: MeshUninstallCommand.self)
        XCTAssertTrue(uninstall.force)
        let add = try InProcessParse.parse(["namespace", "add", "--disable-sidecar-injection", "bookstore", "bookbuyer"], as: NamespaceAddCommand.self)
        XCTAssertTrue(add.disableSidecarInjection)
        XCTAssertEqual(add.namespaces, ["bookstore", "bookbuyer"])
    }

    func testMeshUpgradeKnowsWhichFlagsWereGiven() throws {
        let none = try InProcessParse.parse(["mesh", "upgrade"], as: MeshUpgradeCommand.self)
        XCTAssertNil(none.enableEgress)
        XCTAssertNil(none.enablePermissiveTrafficPolicy)
        XCTAssertNil(none.enableDebugServer)
        XCTAssertNil(none.envoyLogLevel)
        XCTAssertNil(none.enablePrometheusScraping)
        XCTAssertNil(none.useHttpsIngress)
        XCTAssertNil(none.serviceCertValidityDuration)
        XCTAssertNil(none.enableTracing)
        XCTAssertNil(none.tracingAddress)
        XCTAssertNil(none.tracingPort)
        XCTAssertNil(none.tracingEndpoint)
        XCTAssertNil(none.outboundIPRangeExclusionList)
        XCTAssertNil(none.enablePrivilegedInitContainer)
        XCTAssertEqual(none.meshName, "osm")
        XCTAssertEqual(none.containerRegistry, "openservicemesh")
        XCTAssertEqual(none.osmImageTag, "v0.8.4")

        let some = try InProcessParse.parse([
            "mesh", "upgrade", "--enable-egress=false", "--enable-tracing", "--tracing-port", "9411",
            "--outbound-ip-range-exclusion-list", "10.0.0.0/8,192.168.0.0/16",
            "--outbound-ip-range-exclusion-list=172.16.0.0/12", "--service-cert-validity-duration", "1h30m",
        ], as: MeshUpgradeCommand.self)
        XCTAssertEqual(some.enableEgress, false)
        XCTAssertEqual(some.enableTracing, true)
        XCTAssertEqual(some.tracingPort, 9411)
        XCTAssertEqual(some.outboundIPRangeExclusionList, ["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"])
        XCTAssertEqual(some.serviceCertValidityDuration?.nanoseconds, 5_400_000_000_000)
        XCTAssertNil(some.enableDebugServer)
    }

    func testBinaryAcceptsEverySpelling() throws {
        for spelling in Self.trueSpellings + Self.falseSpellings {
            let result = try OSMBinary.run(["mesh", "upgrade", "--enable-egress=\(spelling)", "--help"])
            XCTAssertEqual(result.status, 0, "--enable-egress=\(spelling): \(result.stderr)")
        }
    }

    func testBadValueIsAUsageErrorNamingFlagAndValue() throws {
        for arguments in [["install", "--enable-egress=maybe"], ["mesh", "upgrade", "--enable-egress=maybe"]] {
            let result = try OSMBinary.run(arguments)
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
            // pflag's text, as cobra prints it.
            XCTAssertEqual(result.stderr, "Error: invalid argument \"maybe\" for \"--enable-egress\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n")
            XCTAssertTrue(result.stdout.isEmpty)
        }
        let empty = try OSMBinary.run(["install", "--atomic="])
        XCTAssertEqual(empty.status, 1, empty.stderr)
    }

    func testSpaceSeparatedValueIsRefusedWithAHint() throws {
        let cases: [([String], String)] = [
            (["install", "--enable-egress", "false"], "--enable-egress=false"),
            (["mesh", "upgrade", "--enable-egress", "false"], "--enable-egress=false"),
            (["mesh", "upgrade", "--enable-egress", "True"], "--enable-egress=true"),
            (["mesh", "uninstall", "-f", "0"], "--force=false"),
            (["namespace", "add", "x", "--disable-sidecar-injection", "true"], "--disable-sidecar-injection=true"),
        ]
        for (arguments, hint) in cases {
            let result = try OSMBinary.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
            XCTAssertTrue(result.stderr.contains(hint), "\(arguments): \(result.stderr)")
        }
        XCTAssertThrowsError(try InProcessParse.parse(["install", "--enable-egress", "false"]))
        // After `--` nothing is a flag.
        let add = try InProcessParse.parse(["namespace", "add", "--", "--force", "false"], as: NamespaceAddCommand.self)
        XCTAssertEqual(add.namespaces, ["--force", "false"])
    }
}
