import XCTest
@testable import OSMCommandLine

/// Go duration syntax for `--timeout`, `--service-cert-validity-duration`; kubectl's for
/// `--request-timeout`.
final class DurationFlagTests: XCTestCase {
    func testTimeoutTakesGoDurations() throws {
        let cases: [(String, Int64)] = [
            ("300ms", 300_000_000), ("1.5h", 5_400_000_000_000), ("2h45m", 9_900_000_000_000),
            ("0", 0), ("90s", 90_000_000_000), ("1m30.5s", 90_500_000_000),
        ]
        for (text, nanoseconds) in cases {
            let install = try InProcessParse.parse(["install", "--timeout", text], as: InstallCommand.self)
            XCTAssertEqual(install.timeout.nanoseconds, nanoseconds, text)
        }
        let defaults = try InProcessParse.parse(["install"], as: InstallCommand.self)
        XCTAssertEqual(defaults.timeout.nanoseconds, 300_000_000_000)
        XCTAssertEqual(defaults.serviceCertValidityDuration, "24h")
        let kept = try InProcessParse.parse(["install", "--service-cert-validity-duration=1h30m"], as: InstallCommand.self)
        XCTAssertEqual(kept.serviceCertValidityDuration, "1h30m", "kept as written, for the chart")
    }

    func testBadDurationsAreUsageErrors() throws {
        let cases: [[String]] = [
            ["install", "--timeout", "5"], ["install", "--timeout", "5x"], ["install", "--timeout=-1m"],
            ["mesh", "upgrade", "--service-cert-validity-duration", "soon"],
            ["mesh", "list", "--request-timeout", "30q"],
        ]
        for arguments in cases {
            let result = try OSMBinary.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
        }
        let result = try OSMBinary.run(["install", "--timeout", "5x"])
        XCTAssertTrue(result.stderr.contains("time: invalid duration \"5x\""), result.stderr)
    }

    /// As upstream, install's cert validity is a chart value, checked with the values (after
    /// the cluster checks; `--dry-run` reaches it without a cluster), in Go's words.
    func testInstallCertValidityIsCheckedWithTheValues() throws {
        let result = try OSMBinary.run(["install", "--dry-run", "--service-cert-validity-duration", "1d"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderr, "Error: time: invalid duration \"1d\"\n")
        XCTAssertEqual(result.stdout, "")
    }

    func testRequestTimeoutTakesSecondsOrGoDurations() throws {
        let seconds = try InProcessParse.parse(["mesh", "list", "--request-timeout", "30"], as: MeshListCommand.self)
        XCTAssertEqual(seconds.cluster.requestTimeout?.nanoseconds, 30_000_000_000)
        let duration = try InProcessParse.parse(["mesh", "list", "--request-timeout=1m30s"], as: MeshListCommand.self)
        XCTAssertEqual(duration.cluster.requestTimeout?.nanoseconds, 90_000_000_000)
        let none = try InProcessParse.parse(["mesh", "list"], as: MeshListCommand.self)
        XCTAssertNil(none.cluster.requestTimeout)
    }
}
