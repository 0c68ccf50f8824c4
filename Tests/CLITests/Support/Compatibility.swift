import Foundation
import TestSupport

// Thin forwarders to TestSupport, for test files written in parallel against the runners this
// target had before (MeshUpgradeRoundTripTests may use them). Nothing here runs a process
// itself. Delete this file once the merged tree builds without these deprecation warnings.

extension ClusterHarness {
    @available(*, deprecated, renamed: "ProcessResult")
    typealias Run = ProcessResult

    @available(*, deprecated, message: "use OSMBinary.path")
    static var osmBinary: String { OSMBinary.path }

    @available(*, deprecated, renamed: "osm(_:env:timeout:)")
    func run(_ args: [String], env: [String: String] = [:], timeout: TimeInterval = 120) throws -> ProcessResult {
        try osm(args, env: env, timeout: timeout)
    }
}

@available(*, deprecated, message: "use OSMBinary.path and OSMBinary.run(_:kubeconfig:home:env:timeout:)")
enum OSMUnderTest {
    static var path: String { OSMBinary.path }

    static func run(_ args: [String], kubeconfig: String, dir: URL, env: [String: String] = [:],
                    timeout: TimeInterval = 120) throws -> ProcessResult {
        try OSMBinary.run(args, kubeconfig: kubeconfig, home: dir, env: env, timeout: timeout)
    }
}
