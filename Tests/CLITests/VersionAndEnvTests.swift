import Foundation
import XCTest

final class VersionAndEnvTests: XCTestCase {
    func testVersionLine() throws {
        let result = try OSMBinary.run(["version"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let line = result.stdout
        XCTAssertTrue(line.hasSuffix("\n"))
        // Upstream's line (cmd/cli/version.go PrintCliVersion: "Version: %s; Commit: %s; Date: %s\n",
        // BuildDate from the Makefile's `date +%Y-%m-%d-%H:%M`): the release, the full commit, the date.
        let pattern = #"^Version: v0\.8\.4; Commit: ([0-9a-f]{40}|unknown); Date: ([0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}:[0-9]{2}|unknown)\n$"#
        XCTAssertNotNil(line.range(of: pattern, options: .regularExpression), line)
    }

    func testVersionJSONAndYAML() throws {
        let result = try OSMBinary.run(["version", "-o", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let text = try OSMBinary.run(["version"]).stdout
        for key in ["version", "git_commit", "build_date", "build_version", "platform", "build_configuration"] {
            XCTAssertNotNil(object?[key] as? String, key)
        }
        // This build's identity, which release packaging reads: the release plus build metadata.
        let buildVersion = object?["build_version"] as? String ?? ""
        XCTAssertNotNil(buildVersion.range(of: #"^v0\.8\.4\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$"#, options: .regularExpression), buildVersion)
        if let version = object?["version"] as? String, let commit = object?["git_commit"] as? String,
           let date = object?["build_date"] as? String {
            XCTAssertEqual(text, "Version: \(version); Commit: \(commit); Date: \(date)\n")
        }
        let yaml = try OSMBinary.run(["version", "-o", "yaml"])
        XCTAssertEqual(yaml.status, 0, yaml.stderr)
        XCTAssertTrue(yaml.stdout.contains("git_commit: "), yaml.stdout)
    }

    /// The commit stamped in is this checkout's HEAD (when built from a git checkout).
    func testVersionIsStampedFromGit() throws {
        guard let head = try? ProcessRunner.run("/usr/bin/env", ["git", "-C", OSMBinary.packageRoot.path, "rev-parse", "HEAD"]),
              head.status == 0 else {
            throw XCTSkip("not a git checkout")
        }
        let version = try OSMBinary.run(["version"]).stdout
        XCTAssertTrue(version.contains("Commit: \(head.stdout.trimmingCharacters(in: .whitespacesAndNewlines));"), version)
    }

    func testEnv() throws {
        let fallback = try OSMBinary.run(["env"], removing: ["OSM_NAMESPACE"])
        XCTAssertEqual(fallback.status, 0, fallback.stderr)
        XCTAssertEqual(fallback.stdout, "OSM_NAMESPACE=\"osm-system\"\n")
        let fromEnvironment = try OSMBinary.run(["env"], environment: ["OSM_NAMESPACE": "mesh-a"])
        XCTAssertEqual(fromEnvironment.stdout, "OSM_NAMESPACE=\"mesh-a\"\n")
        let fromFlag = try OSMBinary.run(["env", "--osm-namespace", "mesh-b"], environment: ["OSM_NAMESPACE": "mesh-a"])
        XCTAssertEqual(fromFlag.stdout, "OSM_NAMESPACE=\"mesh-b\"\n")
    }
}
