import Foundation
import XCTest

/// A big list costs memory in proportion to its bytes, and an absurd one is refused with a
/// one-line error before it takes more than a command may (issue: "50 MB lists took 1.9 GB").
final class ListMemoryTests: XCTestCase {
    /// osm against `server`, run under Python's `resource` so the test reads osm's own peak RSS.
    func measured(_ server: HostileServer, _ args: [String]) throws -> (result: ProcessResult, peakMiB: Int) {
        let kubeconfig = try server.writeKubeconfig()
        let wrapper = """
            import resource, subprocess, sys
            r = subprocess.run(sys.argv[1:])
            sys.stderr.write("PEAK-KB %d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.exit(r.returncode)
            """
        var env = ProcessInfo.processInfo.environment
        env["OSM_NAMESPACE"] = nil
        env["KUBECONFIG"] = kubeconfig
        env["HOME"] = server.dir.path
        var r = try ProcessRunner.run(Tools.python, ["-c", wrapper, try OSMBinary.url.path] + args, environment: env,
                                      in: server.dir, timeout: 300)
        var lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let last = lines.popLast(), last.hasPrefix("PEAK-KB "), let kb = Int(last.dropFirst(8)) else {
            XCTFail("no peak RSS reported: \(r.stderr)")
            return (r, .max)
        }
        r.stderr = lines.map { $0 + "\n" }.joined()
        return (r, kb / 1024)
    }

    func testAListOfTwoMillionTinyObjectsIsRefusedWithinTheCommandsMemory() throws {
        // 60 MB of `{"metadata":{"name":"n1"}}`: read whole, two million small objects took 1.7 GB.
        let server = try HostileServer(.tinyList)
        let (r, peak) = try measured(server, ["namespace", "list"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.hasPrefix("Error: "), r.stderr)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("would take more than 320 MiB of memory once read"), r.stderr)
        XCTAssertTrue(r.stderr.contains("/api/v1/namespaces?"), r.stderr)
        XCTAssertLessThanOrEqual(peak, 512, "peak RSS \(peak) MiB")
    }

    func testAFiftyMegabyteListOfRealNamespacesIsListedInLittleMoreThanItsSize() throws {
        let server = try HostileServer(.namespaceList)
        let (r, peak) = try measured(server, ["namespace", "list"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 52_001)
        XCTAssertEqual(lines.first.map { $0.split(separator: " ", omittingEmptySubsequences: true) },
                       ["NAMESPACE", "MESH", "SIDECAR-INJECTION"])
        XCTAssertEqual(lines.last.map { $0.split(separator: " ", omittingEmptySubsequences: true) },
                       ["namespace-051999", "osm", "enabled"])
        // 50 MB of JSON: 272 MiB for a 37 MB list before (the body, the page and each item typed
        // again all alive together).
        XCTAssertLessThanOrEqual(peak, 512, "peak RSS \(peak) MiB")
    }
}
