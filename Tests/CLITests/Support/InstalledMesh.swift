import KubeSim
import XCTest

extension ClusterHarness {
    /// A kube-sim with mesh `osm` installed in `osm-system` by the real binary.
    static func withInstalledMesh(_ extra: [String] = [], configure: (inout KubeSimOptions) -> Void = { _ in }) throws -> ClusterHarness {
        let h = try ClusterHarness(configure: configure)
        let r = try h.osm(["install"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return h
    }
}
