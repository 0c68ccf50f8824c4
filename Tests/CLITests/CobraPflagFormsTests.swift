import ArgumentParser
import Foundation
import XCTest
@testable import OSMCommandLine

/// Every argument form upstream v0.8.4's cobra v1.1.1 and pflag v1.0.5 accept, and their
/// errors: stdout, exit code and the stderr `Error:` line, each case citing the source line it
/// follows (pflag flag.go, cobra command.go/args.go, osm cmd/cli).
final class CobraPflagFormsTests: XCTestCase {
    /// Runs the binary with a kubeconfig that does not exist: every case here ends before any
    /// connection (a parse, help, or a command with nothing to do).
    private func osm(_ args: [String]) throws -> ProcessResult {
        try OSMBinary.run(args, environment: ["KUBECONFIG": "/nonexistent/kubeconfig"], removing: ["OSM_NAMESPACE"])
    }

    private func assertError(_ args: [String], _ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) throws {
        let r = try osm(args)
        XCTAssertEqual(r.status, 1, "\(args)", file: file, line: lineNumber)
        XCTAssertEqual(r.stdout, "", "\(args)", file: file, line: lineNumber)
        XCTAssertEqual(r.stderr, "Error: \(line)\n", "\(args)", file: file, line: lineNumber)
    }

    // MARK: pflag's forms

    /// flag.go parseSingleShortArg: `-fv` (value attached), `-f=v`, `-f v`; `-f=` is the value "=".
    func testShortFlagValueForms() throws {
        for spelling in [["-ncurl"], ["-n=curl"], ["-n", "curl"], ["--namespace=curl"], ["--namespace", "curl"]] {
            let get = try InProcessParse.parse(["proxy", "get", "stats", "pod"] + spelling, as: ProxyGetCommand.self)
            XCTAssertEqual(get.namespace, "curl", "\(spelling)")
        }
        let trap = try InProcessParse.parse(["proxy", "get", "-n=", "stats", "pod"], as: ProxyGetCommand.self)
        XCTAssertEqual(trap.namespace, "=")
        let file = try InProcessParse.parse(["proxy", "get", "-fout.txt", "-p15001", "stats", "pod"], as: ProxyGetCommand.self)
        XCTAssertEqual(file.file, "out.txt")
        XCTAssertEqual(file.localPort, 15001)
        XCTAssertEqual(file.query, "stats")
        XCTAssertEqual(file.pod, "pod")
    }

    /// flag.go parseSingleShortArg with NoOptDefVal ("true" for bools): `-b` alone, `-b=false`,
    /// and bool shorthands combined with the next one (`-bp 3001`).
    func testBoolShorthandForms() throws {
        XCTAssertFalse(try InProcessParse.parse(["dashboard", "-b=false"], as: DashboardCommand.self).openBrowser)
        XCTAssertTrue(try InProcessParse.parse(["dashboard", "-b"], as: DashboardCommand.self).openBrowser)
        let combined = try InProcessParse.parse(["dashboard", "-b=0", "-r3001", "-bp", "3002"], as: DashboardCommand.self)
        XCTAssertTrue(combined.openBrowser, "the later -b sets it again")
        XCTAssertEqual(combined.remotePort, 3001)
        XCTAssertEqual(combined.localPort, 3002)
        XCTAssertTrue(try InProcessParse.parse(["mesh", "uninstall", "-f=T"], as: MeshUninstallCommand.self).force)
        // `-f=` on a bool: "-f" takes "true", then "=" is read as a shorthand of its own.
        try assertError(["mesh", "uninstall", "-f="], "unknown shorthand flag: '=' in -=")
    }

    /// string.go Set and string_slice.go readAsCSV: `--flag=` and `--flag ""` are the empty
    /// string (or list), never "flag needs an argument".
    func testEmptyValues() throws {
        for spelling in [["--mesh-name="], ["--mesh-name", ""]] {
            let list = try InProcessParse.parse(["namespace", "list"] + spelling, as: NamespaceListCommand.self)
            XCTAssertNil(list.selectedMeshName, "namespace_list.go lists every mesh for an empty name: \(spelling)")
        }
        let install = try InProcessParse.parse(["install", "--container-registry-secret=", "--osm-chart-path="], as: InstallCommand.self)
        XCTAssertEqual(install.containerRegistrySecret, "")
        XCTAssertNil(install.osmChartPath, "an empty chart path is upstream's default, the built-in chart")
        let upgrade = try InProcessParse.parse(["mesh", "upgrade", "--outbound-ip-range-exclusion-list="], as: MeshUpgradeCommand.self)
        XCTAssertNil(upgrade.outboundIPRangeExclusionList, "mesh_upgrade.go sets the list only when len > 0")
        // metrics_enable.go ranges over an empty list: nothing to do, exit 0, no cluster needed.
        for args in [["metrics", "enable", "--namespace="], ["metrics", "disable", "--namespace", ""]] {
            let r = try osm(args)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout + r.stderr, "")
        }
        try assertError(["mesh", "upgrade", "--mesh-name"], "flag needs an argument: --mesh-name")
        try assertError(["proxy", "get", "q", "p", "-n"], "flag needs an argument: 'n' in -n")
    }

    /// string_slice.go: each value is a CSV record; uses add up; quotes as encoding/csv reads them.
    func testStringSliceReadsCSV() throws {
        let upgrade = try InProcessParse.parse(
            ["mesh", "upgrade", "--outbound-ip-range-exclusion-list=10.0.0.0/8,\"192.168.0.0/16\"", "--outbound-ip-range-exclusion-list", "1.1.1.1/32"],
            as: MeshUpgradeCommand.self)
        XCTAssertEqual(upgrade.outboundIPRangeExclusionList, ["10.0.0.0/8", "192.168.0.0/16", "1.1.1.1/32"])
        try assertError(["metrics", "enable", "--namespace", "a\"b"],
                        #"invalid argument "a\"b" for "--namespace" flag: parse error on line 1, column 2: bare " in non-quoted-field"#)
    }

    /// uint16.go: strconv.ParseUint(s, 0, 16): base prefixes, underscores, pflag's error text.
    func testNumbers() throws {
        for (text, port) in [("0x3a98", 15000), ("015000", 6656), ("1_5000", 15000), ("0b11", 3), ("0o17", 15), ("0", 0)] as [(String, UInt16)] {
            XCTAssertEqual(try InProcessParse.parse(["proxy", "get", "-p", text, "q", "p"], as: ProxyGetCommand.self).localPort, port, text)
        }
        try assertError(["proxy", "get", "-p", "abc", "q", "p"],
                        #"invalid argument "abc" for "-p, --local-port" flag: strconv.ParseUint: parsing "abc": invalid syntax"#)
        try assertError(["mesh", "upgrade", "--tracing-port", "70000"],
                        #"invalid argument "70000" for "--tracing-port" flag: strconv.ParseUint: parsing "70000": value out of range"#)
        for bad in ["_1", "1__0", "1_", "0x", "-1", "+1", "08"] {
            let r = try osm(["dashboard", "--local-port=\(bad)"])
            XCTAssertEqual(r.stderr, "Error: invalid argument \"\(bad)\" for \"-p, --local-port\" flag: strconv.ParseUint: parsing \"\(bad)\": invalid syntax\n", bad)
        }
        try assertError(["install", "--timeout", "5 minutes"],
                        #"invalid argument "5 minutes" for "--timeout" flag: time: invalid duration "5 minutes""#)
        try assertError(["install", "--enable-egress=maybe"],
                        #"invalid argument "maybe" for "--enable-egress" flag: strconv.ParseBool: parsing "maybe": invalid syntax"#)
    }

    /// flag.go parseLongArg: `---x` and `--=x` are bad syntax; unknown flags by name.
    func testLongFlagErrors() throws {
        try assertError(["install", "---mesh-name"], "bad flag syntax: ---mesh-name")
        try assertError(["install", "--=x"], "bad flag syntax: --=x")
        try assertError(["install", "--foo=bar"], "unknown flag: --foo")
        try assertError(["install", "-x"], "unknown shorthand flag: 'x' in -x")
    }

    // MARK: cobra's order

    /// command.go Find + legacyArgs: at the root an unknown command is reported before an
    /// unknown flag, with suggestions and the usage hint; in a group cobra finds the group and
    /// its flag parse fails first.
    func testWhichErrorComesFirst() throws {
        let unknown = try osm(["foo", "--bar"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "Error: unknown command \"foo\" for \"osm\"\nRun 'osm --help' for usage.\n")
        let suggested = try osm(["instal"])
        XCTAssertEqual(suggested.stderr,
                       "Error: unknown command \"instal\" for \"osm\"\n\nDid you mean this?\n\tinstall\n\nRun 'osm --help' for usage.\n")
        try assertError(["--bar", "mesh"], "unknown flag: --bar")
        try assertError(["mesh", "list", "extra", "--foo"], "unknown flag: --foo")
        try assertError(["mesh", "list", "extra"], "accepts 0 arg(s), received 1")
        try assertError(["version", "extra"], "unknown command \"extra\" for \"osm version\"")
        try assertError(["namespace", "remove"], "accepts 1 arg(s), received 0")
        try assertError(["ns", "add"], "requires at least 1 arg(s), only received 0")
        try assertError(["namespace", "list", "a", "b"], "accepts at most 1 arg(s), received 2")
        try assertError(["policy", "check-pods", "a"], "accepts 2 arg(s), received 1")
    }

    /// command.go execute: a group has no Run, so any word after it (and none) prints its help on
    /// stdout and exits 0; so does -h anywhere. args.go: groups declare cobra.NoArgs, which
    /// cobra never reaches for a command that cannot run.
    func testGroupsPrintHelpOnStdout() throws {
        for group in [["mesh"], ["namespace"], ["ns"], ["metrics"], ["proxy"], ["policy"], ["verify"]] {
            for extra in [[], ["bogus"], ["bogus", "words"]] {
                let r = try osm(group + extra)
                XCTAssertEqual(r.status, 0, "\(group + extra): \(r.stderr)")
                XCTAssertEqual(r.stderr, "", "\(group + extra)")
                XCTAssertTrue(r.stdout.contains("USAGE: osm \(group == ["ns"] ? "namespace" : group[0])"), "\(group + extra): \(r.stdout)")
            }
        }
        let root = try osm([])
        XCTAssertEqual(root.status, 0)
        XCTAssertTrue(root.stdout.contains("USAGE: osm"), root.stdout)
        let h = try osm(["mesh", "list", "-h", "--foo"])
        XCTAssertEqual(h.status, 1, "flags are parsed before help is looked at: \(h.stderr)")
        let help = try osm(["mesh", "upgrade", "-h", "stray"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: osm mesh upgrade"), help.stdout)
        // The help flag is not known yet when cobra looks for the command: `--help mesh` is root help.
        let early = try osm(["--help", "mesh"])
        XCTAssertEqual(early.status, 0)
        XCTAssertTrue(early.stdout.contains("USAGE: osm <subcommand>"), early.stdout)
    }

    /// command.go InitDefaultHelpCmd: `osm help TOPIC`; an unknown topic is a line and the root's
    /// usage on stderr (c.Printf and Usage write to OutOrStderr), exit 0.
    func testHelpCommand() throws {
        let known = try osm(["help", "mesh", "upgrade"])
        XCTAssertEqual(known.status, 0)
        XCTAssertTrue(known.stdout.contains("USAGE: osm mesh upgrade"), known.stdout)
        let unknown = try osm(["help", "bogus", "x"])
        XCTAssertEqual(unknown.status, 0)
        XCTAssertEqual(unknown.stdout, "")
        XCTAssertTrue(unknown.stderr.hasPrefix("Unknown help topic [`bogus` `x`]\n"), unknown.stderr)
    }

    /// args.go legacyArgs: a command without subcommands and without Args (install, mesh
    /// upgrade, dashboard) takes stray words and ignores them.
    func testStrayArgumentsAreIgnoredWhereUpstreamDeclaresNoArgs() throws {
        let plain = try osm(["install", "--dry-run"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let stray = try osm(["install", "stray", "--dry-run", "words"])
        XCTAssertEqual(stray.status, 0, stray.stderr)
        XCTAssertEqual(stray.stdout, plain.stdout)
        XCTAssertEqual(try InProcessParse.parse(["mesh", "upgrade", "x", "--enable-egress"], as: MeshUpgradeCommand.self).enableEgress, true)
    }

    /// command.go stripFlags/argsMinusFirstX: flags may stand between a group and its
    /// subcommand's name; a flag the group does not know takes the next word as its value, so
    /// it can swallow the name.
    func testFlagsBetweenGroupAndSubcommand() throws {
        let upgrade = try InProcessParse.parse(["mesh", "--osm-namespace", "prod", "upgrade", "--enable-egress"], as: MeshUpgradeCommand.self)
        XCTAssertEqual(upgrade.cluster.osmNamespace, "prod")
        XCTAssertEqual(upgrade.enableEgress, true)
        let swallowed = try InProcessParse.parse(["mesh", "--mesh-name", "upgrade", "upgrade"], as: MeshUpgradeCommand.self)
        XCTAssertEqual(swallowed.meshName, "upgrade", "argsMinusFirstX removes the first 'upgrade', the flag's value")
        try assertError(["mesh", "--mesh-name", "upgrade"], "unknown flag: --mesh-name")
        let persistent = try InProcessParse.parse(["--osm-namespace=x", "ns", "-v6", "list"], as: NamespaceListCommand.self)
        XCTAssertEqual(persistent.cluster.osmNamespace, "x")
        XCTAssertEqual(persistent.cluster.verbosity, 6)
    }

    /// The one deliberate difference: `--BOOL false` with a space is refused (upstream sets
    /// the flag true and ignores `false`), listed in the README.
    func testSpacedBoolIsRefused() throws {
        let r = try osm(["install", "--enable-egress", "false"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("'--enable-egress false': a bool flag takes its value after '='"), r.stderr)
    }

    // MARK: one declaration

    /// Every runnable command: each flag's default parses as its Go type, `--help` states the
    /// default the code uses (from the same declaration), and every property is set by the
    /// front end (an unset property wrapper would trap when read).
    func testEveryFlagHasOneDeclarationThatHelpAndTheParserRead() throws {
        let minimalArguments: [String: [String]] = [
            "namespace add": ["ns"], "namespace ignore": ["ns"], "namespace remove": ["ns"],
            "proxy get": ["q", "p"], "policy check-pods": ["a", "b"], "completion": ["bash"],
            "verify connectivity": ["--from-namespace", "x", "--to-ext-port", "443"],
        ]
        var visited = 0
        func visit(_ type: ParsableCommand.Type, path: [String]) throws {
            for sub in type.configuration.subcommands { try visit(sub, path: path + [sub._commandName]) }
            guard let runnable = type as? any PflagCommand.Type else { return }
            visited += 1
            let key = path.joined(separator: " ")
            let help = try osm(path + ["--help"])
            XCTAssertEqual(help.status, 0, key)
            let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            // The root's flags are documented by the commands that read them (the cluster ones).
            let documentsRootFlags = flat.contains("--kubeconfig")
            for flag in runnable.flags + (documentsRootFlags ? RootFlags.all : []) {
                if flag.kind != .string || !flag.defaultValue.isEmpty {
                    XCTAssertNoThrow(try GoFlagValue.parse(flag.defaultValue, as: flag.kind, appendingTo: nil), "\(key) --\(flag.name)")
                }
                XCTAssertTrue(flat.contains("--\(flag.name)"), "\(key) --help lacks --\(flag.name)")
                if let shown = flag.helpDefault {
                    let wanted = "(default: \(shown))".split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    XCTAssertTrue(flat.contains(wanted), "\(key) --help lacks \(wanted) for --\(flag.name)")
                }
            }
            let command = try InProcessParse.parse(path + (minimalArguments[key] ?? []))
            XCTAssertTrue(allWrappersSet(command), "\(key): a property the front end does not set")
        }
        try visit(OSMCommand.self, path: [])
        XCTAssertEqual(visited, 18)
        let root = try osm(["--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for flag in RootFlags.all {
            XCTAssertTrue(root.contains("--\(flag.name) <\(flag.valueName)>"), flag.name)
            XCTAssertTrue(root.contains("(default: \(flag.helpDefault ?? ""))".split(whereSeparator: \.isWhitespace).joined(separator: " ")), flag.name)
        }
    }

    /// Whether every ArgumentParser property wrapper in `value` holds a value (recursively).
    private func allWrappersSet(_ value: Any) -> Bool {
        for child in Mirror(reflecting: value).children {
            let typeName = String(describing: type(of: child.value))
            guard ["Option<", "Argument<", "OptionGroup<", "Flag<"].contains(where: typeName.hasPrefix) else { continue }
            guard let parsed = Mirror(reflecting: child.value).children.first(where: { $0.label == "_parsedValue" }) else { return false }
            guard let state = Mirror(reflecting: parsed.value).children.first, state.label == "value" else { return false }
            if typeName.hasPrefix("OptionGroup<"), !allWrappersSet(state.value) { return false }
        }
        return true
    }
}
