import Foundation
import KubeSim
import XCTest
import ObjectModel

/// Issue 12, recovery and --atomic: a failed or interrupted install (or uninstall) can always
/// be finished or removed with osm itself, and --atomic leaves nothing this run may have created.
final class FailureRecoveryTests: XCTestCase {
    static let meshObjectCount = 11

    // MARK: recovery

    func testFailedInstallIsReportedThenFinishedWithResume() throws {
        let h = try ClusterHarness()
        h.sim.setFaults([FaultRule(method: "POST", path: "/deployments$", count: 1, status: 500)])
        let failed = try h.osm(["install"])
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("could not create Deployment"), failed.stderr)
        // It says what it left and both ways out.
        XCTAssertTrue(failed.stderr.contains("left in place"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("osm install --resume"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("osm mesh uninstall --mesh-name osm --osm-namespace osm-system -f"), failed.stderr)
        let partial = h.meshObjects()
        XCTAssertFalse(partial.isEmpty)
        XCTAssertLessThan(partial.count, Self.meshObjectCount, "\(partial)")

        // A plain rerun says exactly what exists and what is missing, and creates nothing.
        h.sim.setFaults([])
        h.sim.clearRequestLog()
        let again = try h.osm(["install"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.hasPrefix("Error: mesh [osm] is partly installed in namespace [osm-system]"), again.stderr)
        XCTAssertTrue(again.stderr.contains("ConfigMap osm-system/osm-config"), again.stderr)
        XCTAssertTrue(again.stderr.contains("missing (") && again.stderr.contains("Deployment osm-system/osm-controller"), again.stderr)
        XCTAssertTrue(again.stderr.contains("--resume") && again.stderr.contains("osm mesh uninstall"), again.stderr)
        XCTAssertEqual(again.stderr.filter { $0 == "\n" }.count, 1, "one line: \(again.stderr)")
        XCTAssertTrue(h.writes.isEmpty, "a refused rerun writes nothing: \(h.writes)")

        // --resume creates only what is missing and waits as usual.
        h.sim.clearRequestLog()
        let resumed = try h.osm(["install", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(resumed.stdout, "OSM installed successfully in namespace [osm-system] with mesh name [osm]\n")
        XCTAssertEqual(h.meshObjects().count, Self.meshObjectCount, "\(h.meshObjects())")
        let posted = h.sim.requestLog.filter { $0.method == "POST" }.map(\.path)
        XCTAssertEqual(posted.count, Self.meshObjectCount - partial.count, "only the missing objects: \(posted)")
    }

    func testAPartialInstallWhoseDeploymentsExistIsReportedAndResumed() throws {
        let h = try ClusterHarness()
        h.sim.setFaults([FaultRule(method: "POST", path: "webhookconfigurations$", status: 500)])
        XCTAssertEqual(try h.osm(["install"]).status, 1)
        h.sim.setFaults([])
        XCTAssertNotNil(h.deployment("osm-controller", in: "osm-system"))
        h.sim.clearRequestLog()
        let again = try h.osm(["install"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("is partly installed"), again.stderr)
        XCTAssertTrue(again.stderr.contains("MutatingWebhookConfiguration osm-webhook-osm") && again.stderr.contains("--resume"), again.stderr)
        XCTAssertTrue(h.writes.isEmpty, "\(h.writes)")
        let resumed = try h.osm(["install", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(h.meshObjects().count, Self.meshObjectCount)
        // Once complete, a rerun is upstream's "already exists", and --resume of another namespace is refused.
        XCTAssertEqual(try h.osm(["install"]).stderr, "Error: Mesh osm already exists in cluster. Please specify a new mesh name using --mesh-name\n")
        XCTAssertNotEqual(try h.osm(["install", "--resume", "--osm-namespace", "elsewhere"]).status, 0)
        XCTAssertNil(h.namespace("elsewhere"))
    }

    func testUninstallFindsAPartialInstallWithoutItsControllerAndSaysWhatItDeleted() throws {
        let h = try ClusterHarness()
        h.sim.setFaults([FaultRule(method: "POST", path: "/deployments$", status: 500)])
        XCTAssertEqual(try h.osm(["install"]).status, 1)
        h.sim.setFaults([])
        XCTAssertNil(h.deployment("osm-controller", in: "osm-system"))
        let left = h.meshObjects()
        XCTAssertFalse(left.isEmpty)

        let u = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(u.status, 0, u.stderr)
        XCTAssertEqual(u.stdout, "OSM [mesh name: osm] uninstalled\n")
        for o in left {
            let kind = o.split(separator: "/")[0], name = o.split(separator: "/")[1]
            XCTAssertTrue(u.stderr.contains("Deleted \(kind) ") && u.stderr.contains(name), "\(o) not reported: \(u.stderr)")
        }
        XCTAssertEqual(h.meshObjects(), [])
        // Afterwards a plain install works again.
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        XCTAssertEqual(h.meshObjects().count, Self.meshObjectCount)
    }

    func testARerunFinishesAnUninstallThatFailedPartWay() throws {
        let h = try ClusterHarness()
        XCTAssertEqual(try h.osm(["install"]).status, 0)
        h.sim.setFaults([FaultRule(method: "DELETE", path: "/configmaps/|/clusterroles/", status: 500)])
        let first = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(first.status, 1)
        XCTAssertTrue(first.stderr.contains("could not delete 2 of"), first.stderr)
        XCTAssertTrue(first.stderr.contains("again to finish"), first.stderr)
        XCTAssertEqual(h.meshObjects(), ["ClusterRole/osm", "ConfigMap/osm-config"])
        h.sim.setFaults([])
        // The controller is gone now: the rerun must still find and delete the rest.
        let second = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("Deleted ConfigMap osm-system/osm-config"), second.stderr)
        XCTAssertTrue(second.stderr.contains("Deleted ClusterRole osm"), second.stderr)
        XCTAssertEqual(h.meshObjects(), [])
        // And with nothing left, -f succeeds and says so; without -f it is an error.
        let third = try h.osm(["mesh", "uninstall", "-f"])
        XCTAssertEqual(third.status, 0)
        XCTAssertTrue(third.stderr.contains("Nothing to uninstall"), third.stderr)
        XCTAssertNotEqual(try h.osm(["mesh", "uninstall"]).status, 0)
    }

    func testEmptyMeshNameIsRefusedBeforeAnything() throws {
        let h = try ClusterHarness()
        for args in [["install", "--mesh-name", ""], ["mesh", "uninstall", "-f", "--mesh-name", ""]] {
            h.sim.clearRequestLog()
            let r = try h.osm(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("Error: Invalid mesh-name"), r.stderr)
            XCTAssertTrue(h.writes.isEmpty, "\(args) wrote \(h.writes)")
        }
        XCTAssertNil(h.namespace("osm-system"))
        XCTAssertEqual(h.crds, [])
    }

    func testObjectsOfSomethingElseAreNeverTakenOver() throws {
        let h = try ClusterHarness()
        try h.createNamespace("osm-system")
        try h.sim.put(["apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": ["name": "osm-config", "namespace": "osm-system", "labels": ["owner": "someone"]]])
        h.sim.clearRequestLog()
        for args in [["install"], ["install", "--resume"]] {
            let r = try h.osm(args)
            XCTAssertEqual(r.status, 1)
            XCTAssertTrue(r.stderr.contains("ConfigMap osm-system/osm-config already exists and belongs to something else"), r.stderr)
        }
        XCTAssertTrue(h.writes.isEmpty, "\(h.writes)")
    }

    // MARK: --atomic

    func testAtomicDeletesAnObjectWhoseCreateAnswerWasLost() throws {
        let h = try ClusterHarness()
        // The ConfigMap is created, but its answer comes after the client gave up (timeout);
        // the Service POSTs lose their connection; the Deployment POST gets a 500.
        h.sim.setFaults([
            FaultRule(method: "POST", path: "/configmaps$", delayMs: 4000),
            FaultRule(method: "POST", path: "/services$", count: 1, dropConnection: true),
        ])
        let r = try h.osm(["install", "--atomic", "--request-timeout", "1s"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("--atomic: deleted the"), r.stderr)
        XCTAssertEqual(h.meshObjects(), [], "the timed-out ConfigMap was created all the same and must be gone")
        assertGoneOrTerminating(h.namespace("osm-system"))
        eventually("the CRDs this install created are gone: \(h.crds)") { h.crds.isEmpty }
        XCTAssertTrue(h.sim.requestLog.contains { $0.method == "DELETE" && $0.path.hasSuffix("/configmaps/osm-config") })
    }

    func testAtomicKeepsWhatExistedBefore() throws {
        let h = try ClusterHarness()
        try h.createNamespace("osm-system", labels: ["name": "osm-system"])
        try h.sim.put(["apiVersion": "apiextensions.k8s.io/v1beta1", "kind": "CustomResourceDefinition",
                       "metadata": ["name": "trafficsplits.split.smi-spec.io"],
                       "spec": ["group": "split.smi-spec.io", "names": ["plural": "trafficsplits", "kind": "TrafficSplit"],
                                "scope": "Namespaced", "versions": [["name": "v1alpha2", "served": true, "storage": true]]]])
        h.sim.setFaults([FaultRule(method: "POST", path: "webhookconfigurations$", status: 500)])
        let r = try h.osm(["install", "--atomic"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(h.meshObjects(), [])
        XCTAssertNotNil(h.namespace("osm-system"))
        // A deleted CRD terminates until 1.20's finalizer controller has removed its instances.
        eventually("the CRDs this install created are gone: \(h.crds)") { h.crds == ["trafficsplits.split.smi-spec.io"] }
    }

    /// A deleted namespace may linger while its finalizer runs.
    func assertGoneOrTerminating(_ ns: JSONValue?, file: StaticString = #filePath, line: UInt = #line) {
        guard let ns else { return }
        XCTAssertNotNil(ns[path: "metadata", "deletionTimestamp"], "namespace not deleted: \(ns)", file: file, line: line)
    }

    // MARK: signals (under a terminal)

    func ptyEnv(_ h: ClusterHarness) -> [String: String] {
        h.environment(["TERM": "xterm"])
    }

    /// The progress line drawn in place is ended before anything else is printed.
    func assertProgressLineEnded(_ terminalOutput: String, file: StaticString = #filePath, line: UInt = #line) {
        let output = terminalOutput.replacingOccurrences(of: "\r\n", with: "\n")
        guard let last = output.range(of: "Waiting for deployments to be available", options: .backwards) else {
            return XCTFail("no progress line: \(output)", file: file, line: line)
        }
        let rest = output[last.upperBound...]
        XCTAssertTrue(rest.contains("\n"), "the progress line is never ended: \(output.debugDescription)", file: file, line: line)
        let tail = rest.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        XCTAssertFalse(tail.contains("Error") || tail.contains("Interrupted"), "printed on the progress line: \(tail)", file: file, line: line)
    }

    func testSIGINTWithAtomicRollsBackAndExits130() throws {
        let h = try ClusterHarness { $0.readyAfter = 3600 }
        let r = try PTYRun.run([OSMBinary.path, "install", "--atomic"], env: ptyEnv(h), cwd: h.dir,
                               steps: [.init(waitFor: "Waiting for deployments", signal: SIGINT)])
        XCTAssertEqual(r.stepsDone, 1, r.output)
        XCTAssertEqual(r.status, 130, r.output)
        XCTAssertTrue(r.output.contains("interrupted by SIGINT"), r.output)
        XCTAssertTrue(r.output.contains("--atomic: deleted the"), r.output)
        assertProgressLineEnded(r.output)
        XCTAssertEqual(h.meshObjects(), [])
        assertGoneOrTerminating(h.namespace("osm-system"))
        eventually("the CRDs this install created are gone: \(h.crds)") { h.crds.isEmpty }
    }

    func testSIGTERMWithoutAtomicListsWhatIsLeftAndHowToRemoveIt() throws {
        let h = try ClusterHarness { $0.readyAfter = 3600 }
        let r = try PTYRun.run([OSMBinary.path, "install"], env: ptyEnv(h), cwd: h.dir,
                               steps: [.init(waitFor: "Waiting for deployments", signal: SIGTERM)])
        XCTAssertEqual(r.status, 143, r.output)
        XCTAssertTrue(r.output.contains("interrupted by SIGTERM"), r.output)
        XCTAssertTrue(r.output.contains("Deployment osm-system/osm-controller"), r.output)
        let command = "osm mesh uninstall --mesh-name osm --osm-namespace osm-system -f"
        XCTAssertTrue(r.output.contains(command), r.output)
        assertProgressLineEnded(r.output)
        XCTAssertEqual(h.meshObjects().count, Self.meshObjectCount)
        // The command it printed removes what it listed.
        XCTAssertEqual(try h.osm(Array(command.split(separator: " ").dropFirst().map(String.init))).status, 0)
        XCTAssertEqual(h.meshObjects(), [])
    }

    func testASecondSignalStopsTheRollbackAndSaysWhatIsLeft() throws {
        let h = try ClusterHarness { $0.readyAfter = 3600 }
        // No delete is ever answered (an hour), so the rollback cannot end before the second
        // Ctrl-C, however late it lands; a rollback that ignored it would run into the hang guard.
        h.sim.setFaults([FaultRule(method: "DELETE", path: ".*", delayMs: 3_600_000)])
        let r = try PTYRun.run([OSMBinary.path, "install", "--atomic"], env: ptyEnv(h), cwd: h.dir,
                               steps: [.init(waitFor: "Waiting for deployments", signal: SIGINT),
                                       .init(waitFor: "rolling back", signal: SIGINT)])
        XCTAssertEqual(r.stepsDone, 2, r.output)
        XCTAssertEqual(r.status, 130, r.output)
        XCTAssertTrue(r.output.contains("rollback stopped by a second signal"), r.output)
        XCTAssertTrue(r.output.contains("left: "), r.output)
        XCTAssertTrue(r.output.contains("osm mesh uninstall --mesh-name osm --osm-namespace osm-system -f"), r.output)
        XCTAssertFalse(h.meshObjects().isEmpty, "the rollback was stopped before the end")
        h.sim.setFaults([])
        XCTAssertEqual(try h.osm(["mesh", "uninstall", "-f"]).status, 0)
        XCTAssertEqual(h.meshObjects(), [])
    }
}
