import KubeClient
@testable import MeshControl
import XCTest
import ObjectModel

/// Install's journal, rollback and Helm record under injected failures, against `FakeCluster`
/// (as Helm's action tests run against `FailingKubeClient`): what a failed install leaves, and
/// what the record says, without a server.
final class InstallFailureTests: XCTestCase {
    func cluster() throws -> FakeCluster {
        let c = FakeCluster()
        var values = InstallValues()
        values.meshName = "osm"
        let objects = try ControlPlaneManifest.render(values: try values.resolve().chart, namespace: "osm-system")
        c.servedGroupVersions = Array(Set(objects.compactMap { $0.apiVersion }).subtracting(["v1"])).sorted()
        return c
    }

    func install(atomic: Bool) -> Install {
        var values = InstallValues()
        values.meshName = "osm"
        return Install(values: values, namespace: "osm-system", timeout: GoDuration(seconds: 5), atomic: atomic)
    }

    func failure(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let f as Install.Failure { return f.message } catch { return "\(error)" }
    }

    var failedCreate: KubeError {
        KubeError(.other, code: 500, reason: "InternalError", "etcdserver: request timed out")
    }

    func testAnAtomicInstallWhoseCreateFailsTakesBackEverythingItCreatedAndItsRecord() throws {
        let c = try cluster()
        c.failures["create services/osm-controller"] = failedCreate
        let message = failure { _ = try install(atomic: true).run(client: c) }
        XCTAssertNotNil(message)
        XCTAssertTrue(message?.hasPrefix("could not create Service \"osm-controller\": etcdserver: request timed out") == true, message ?? "")
        let created = c.calls("create")
        XCTAssertGreaterThan(created.count, 3, "the namespace, the record and a first round of objects were sent")
        // Everything it created is gone again, the namespace and the Helm record included.
        XCTAssertEqual(c.objects.keys.map { "\($0.resource) \($0.namespace)/\($0.name)" }.sorted(), [])
        XCTAssertTrue(c.calls("delete").contains("delete secrets osm-system/sh.helm.release.v1.osm.v1"), "\(c.calls("delete"))")
        XCTAssertTrue(c.calls("delete").contains("delete namespaces osm-system"), "\(c.calls("delete"))")
    }

    func testAnInstallWhoseCreateFailsLeavesItsObjectsAndARecordMarkedFailed() throws {
        let c = try cluster()
        c.failures["create services/osm-controller"] = failedCreate
        let message = try XCTUnwrap(failure { _ = try install(atomic: false).run(client: c) })
        XCTAssertTrue(message.contains("left in place"), message)
        XCTAssertTrue(message.contains("osm install --resume"), message)
        let record = try XCTUnwrap(c.object(.secrets, namespace: "osm-system", "sh.helm.release.v1.osm.v1"))
        XCTAssertEqual(record.metadata.label("status"), "failed")
        XCTAssertNotNil(c.object(.namespaces, "osm-system"))
        XCTAssertNil(c.object(.services, namespace: "osm-system", "osm-controller"))
    }

    func testAFailedRecordCreateAtInstallLeavesNothingBehind() throws {
        let c = try cluster()
        c.failures["create secrets/sh.helm.release.v1.osm.v1"] = KubeError(.forbidden, code: 403, reason: "Forbidden", "secrets is forbidden")
        let message = try XCTUnwrap(failure { _ = try install(atomic: false).run(client: c) })
        XCTAssertTrue(message.contains("secrets is forbidden"), message)
        // The objects sent in the record's round are taken back: no object without its record.
        let left = c.objects.keys.filter { $0.resource != "namespaces" }
        XCTAssertEqual(left.map(\.name), [], message)
    }

    func testAnInstallThatFindsAReleaseRecordOfTheSameNameRefusesBeforeAnyWrite() throws {
        let c = try cluster()
        c.add(.secrets, ["apiVersion": "v1", "kind": "Secret",
                         "metadata": ["name": "sh.helm.release.v1.osm.v1", "namespace": "osm-system",
                                      "labels": ["owner": "helm", "name": "osm", "status": "deployed", "version": "1"]],
                         "type": "helm.sh/release.v1", "data": ["release": "e30="]])
        XCTAssertNotNil(failure { _ = try install(atomic: false).run(client: c) })
        XCTAssertEqual(c.calls("create"), [])
        XCTAssertEqual(c.calls("patch"), [])
        XCTAssertEqual(c.calls("delete"), [])
    }
}
