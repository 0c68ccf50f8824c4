import XCTest
@testable import OSMCommandLine

/// The options of every cluster command, and the output format of the read commands.
final class GlobalOptionTests: XCTestCase {
    func testClusterOptionsParse() throws {
        let list = try InProcessParse.parse([
            "namespace", "list", "--osm-namespace", "mesh-system", "--kubeconfig", "/tmp/kc",
            "--context", "kind-a", "-v", "8", "-o", "json", "hello-osm",
        ], as: NamespaceListCommand.self)
        XCTAssertEqual(list.cluster.osmNamespace, "mesh-system")
        XCTAssertEqual(list.cluster.kubeconfig, "/tmp/kc")
        XCTAssertEqual(list.cluster.context, "kind-a")
        XCTAssertEqual(list.cluster.verbosity, 8)
        XCTAssertEqual(list.format.output, .json)
        XCTAssertEqual(list.selectedMeshName, "hello-osm")
        let long = try InProcessParse.parse(["mesh", "list", "--v", "6", "--output", "yaml"], as: MeshListCommand.self)
        XCTAssertEqual(long.cluster.verbosity, 6)
        XCTAssertEqual(long.output, .yaml)
        for spelling in [["-v6"], ["-v=6"], ["--v=6"], ["-v", "6"]] {
            let glued = try InProcessParse.parse(["mesh", "list"] + spelling, as: MeshListCommand.self)
            XCTAssertEqual(glued.cluster.verbosity, 6, "\(spelling)")
        }
        let all = try InProcessParse.parse(["ns", "list"], as: NamespaceListCommand.self)
        XCTAssertNil(all.selectedMeshName)
    }

    /// cobra exits 1 for every error, usage errors included; help exits 0.
    func testUsageErrorsExit1AsCobraAndHelpExits0() throws {
        let cases: [[String]] = [
            ["mesh", "list", "-o", "xml"], ["namespace", "add"], ["namespace", "remove"],
            ["namespace", "ignore"], ["install", "--no-such-flag"], ["mesh", "list", "-v", "-1"],
            ["install", "--osm-chart-path", "./charts/osm"], ["install", "-o", "json"],
            ["mesh", "upgrade", "--tracing-port", "70000"], ["nonsense"],
        ]
        for arguments in cases {
            let result = try OSMBinary.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), "\(arguments): \(result.stderr)")
        }
        for arguments in [["--help"], ["mesh", "--help"], ["install", "--help"], ["namespace", "add", "-h"], ["help", "mesh"]] {
            let result = try OSMBinary.run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("USAGE:"), "\(arguments): \(result.stdout)")
        }
        let chart = try OSMBinary.run(["install", "--osm-chart-path", "./charts/osm"])
        XCTAssertTrue(chart.stderr.contains("--osm-chart-path is not supported"), chart.stderr)
    }

    /// cobra's and pflag's texts for the usage errors scripts meet most (the root silences usage).
    func testCommonUsageErrorsUseCobrasText() throws {
        let cases: [([String], String)] = [
            (["install", "--no-such-flag"], "Error: unknown flag: --no-such-flag\n"),
            (["--no-such-flag"], "Error: unknown flag: --no-such-flag\n"),
            (["mesh", "upgrade", "-x"], "Error: unknown shorthand flag: 'x' in -x\n"),
            (["install", "--mesh-name"], "Error: flag needs an argument: --mesh-name\n"),
            (["install", "--timeout", "1y"], "Error: invalid argument \"1y\" for \"--timeout\" flag: time: invalid duration \"1y\"\n"),
            (["nonsense"], "Error: unknown command \"nonsense\" for \"osm\"\nRun 'osm --help' for usage.\n"),
            (["instal"], "Error: unknown command \"instal\" for \"osm\"\n\nDid you mean this?\n\tinstall\n\nRun 'osm --help' for usage.\n"),
            // Each command's cobra.Args.
            (["version", "extra"], "Error: unknown command \"extra\" for \"osm version\"\n"),
            (["metrics", "enable", "ns1"], "Error: unknown command \"ns1\" for \"osm metrics enable\"\n"),
            (["mesh", "list", "x"], "Error: accepts 0 arg(s), received 1\n"),
            (["ns", "add", "--mesh-name", "m"], "Error: requires at least 1 arg(s), only received 0\n"),
            (["namespace", "remove", "a", "b"], "Error: accepts 1 arg(s), received 2\n"),
            (["namespace", "list", "a", "b"], "Error: accepts at most 1 arg(s), received 2\n"),
            (["policy", "check-pods", "a"], "Error: accepts 2 arg(s), received 1\n"),
        ]
        for (arguments, expected) in cases {
            let result = try OSMBinary.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments)")
            XCTAssertEqual(result.stderr, expected, "\(arguments)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
        }
    }

    func testDryRunFormats() throws {
        let plain = try InProcessParse.parse(["install", "--dry-run"], as: InstallCommand.self)
        XCTAssertTrue(plain.dryRun)
        XCTAssertEqual(plain.dryRunFormat, .yaml)
        let json = try InProcessParse.parse(["install", "--dry-run", "-o", "json"], as: InstallCommand.self)
        XCTAssertEqual(json.dryRunFormat, .json)
    }

    func testTableAlignsLikeUpstreamTabwriter() {
        var table = Table(header: ["MESH NAME", "NAMESPACE", "CONTROLLER PODS"])
        table.append(["osm", "osm-system", "osm-controller-1,osm-controller-2"])
        table.append(["a", "b", ""])
        XCTAssertEqual(table.render(), """
            MESH NAME   NAMESPACE    CONTROLLER PODS
            osm         osm-system   osm-controller-1,osm-controller-2
            a           b            \n
            """)
        XCTAssertEqual(Table(header: ["A", "B"]).render(), "A     B\n", "minimum width 6")
    }

    /// upstream namespace list: `"%s\t%s\t%s\t\n"`, every cell padded, the last one too.
    func testTabTerminatedTablePadsEveryColumn() {
        var table = Table(header: ["NAMESPACE", "MESH", "SIDECAR-INJECTION"], tabTerminated: true)
        table.append(["bookstore", "osm", "enabled"])
        table.append(["ns", "a-much-longer-mesh", "-"])
        XCTAssertEqual(table.render(),
            "NAMESPACE   MESH                 SIDECAR-INJECTION   \n" +
            "bookstore   osm                  enabled             \n" +
            "ns          a-much-longer-mesh   -                   \n")
    }
}
