import KubeClient
@testable import MeshControl
import XCTest
import ObjectModel

/// Action logic against `FakeCluster`, without a server: the decisions each action makes and
/// the kind of each failure (not its wording, which the CLI tests check byte for byte).
final class ActionLogicTests: XCTestCase {
    /// The kind of the OSMError `body` throws; fails the test if it throws nothing or something else.
    func kind(of body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> OSMError.Kind? {
        do {
            try body()
            XCTFail("no error thrown", file: file, line: line)
        } catch let e as OSMError {
            return e.kind
        } catch {
            XCTFail("not an OSMError: \(type(of: error)) \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: kinds

    func testUninstallOfAMeshThatIsNotThereIsMeshNotFound() {
        let cluster = FakeCluster()
        cluster.add(.deployments, Fixtures.controller(mesh: "other", namespace: "osm-system"))
        let uninstall = MeshUninstall(meshName: "osm", namespace: "osm-system", force: false)
        XCTAssertEqual(kind { _ = try uninstall.run(client: cluster) }, .meshNotFound)
        XCTAssertTrue(cluster.calls("delete").isEmpty)
        XCTAssertNotNil(cluster.object(.deployments, namespace: "osm-system", "osm-controller"))
    }

    func testForbiddenReadKeepsTheKubeErrorKind() throws {
        let cluster = FakeCluster()
        cluster.add(.namespaces, Fixtures.namespace("app", labels: [MeshConstants.monitoredByLabel: "osm"]))
        let forbidden = KubeError(.forbidden, code: 403, reason: "Forbidden", "namespaces \"app\" is forbidden: User \"dev\" cannot get resource")
        cluster.failures["get namespaces/app"] = forbidden
        do {
            _ = try NamespaceRemove(namespace: "app", meshName: "osm").run(client: cluster)
            XCTFail("no error")
        } catch let e as OSMError {
            XCTAssertEqual(e.kind, .kube(.forbidden))
            XCTAssertEqual(e.kubeError?.code, 403)
            XCTAssertEqual(e.kubeError?.reason, "Forbidden")
        }
        XCTAssertTrue(cluster.calls("patch").isEmpty)
    }

    func testConflictOnPatchKeepsTheKubeErrorKind() {
        let cluster = FakeCluster()
        cluster.add(.namespaces, Fixtures.namespace("app", labels: [MeshConstants.monitoredByLabel: "osm"]))
        cluster.failures["patch namespaces/app"] = KubeError(.conflict, code: 409, reason: "Conflict", "the object has been modified")
        XCTAssertEqual(kind { _ = try NamespaceRemove(namespace: "app", meshName: "osm").run(client: cluster) }, .kube(.conflict))
        XCTAssertEqual(cluster.object(.namespaces, "app")?[path: "metadata", "labels", MeshConstants.monitoredByLabel], "osm")
    }

    func testInvalidInputIsRefusedBeforeAnyRequest() {
        let cluster = FakeCluster()
        XCTAssertEqual(kind { _ = try NamespaceAdd(namespaces: ["app"], meshName: "-bad-").run(client: cluster) }, .invalidInput)
        XCTAssertEqual(kind { _ = try NamespaceAdd(namespaces: ["Not_A_Namespace"], meshName: "osm").run(client: cluster) }, .invalidInput)
        XCTAssertEqual(kind { _ = try MeshUninstall(meshName: "", namespace: "osm-system", force: true).run(client: cluster) }, .invalidInput)
        XCTAssertEqual(kind { _ = try NamespaceList(meshName: "a b").run(client: cluster) }, .invalidInput)
        XCTAssertEqual(kind {
            try PolicyCheckPods(sourcePod: "a/b/c", destinationPod: "d", osmNamespace: "osm-system").run(client: cluster, write: { _ in })
        }, .invalidInput)
        var values = InstallValues()
        values.envoyLogLevel = "loud"
        XCTAssertEqual(kind { try values.validate() }, .invalidInput)
        XCTAssertEqual(cluster.calls, [])
    }

    func testPolicyCheckPodsPrintsAServersNamesWithControlCharactersEscaped() throws {
        // A real server's names have no control characters; a hostile one's never reach the terminal raw.
        let cluster = FakeCluster()
        let hostile = "a\u{1B}]0;pwned\u{07}\r\nb"
        cluster.add(.pods, Fixtures.pod(hostile, namespace: "ns", labels: [MeshConstants.proxyUUIDLabel: "1"]))
        cluster.add(.pods, Fixtures.pod("c", namespace: "ns", labels: [MeshConstants.proxyUUIDLabel: "2"]))
        cluster.add(.configMaps, ["apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": ["name": "osm-config", "namespace": "osm-system"],
                                  "data": ["permissive_traffic_policy_mode": "true"]])
        var text = ""
        try PolicyCheckPods(sourcePod: "ns/" + hostile, destinationPod: "ns/c", osmNamespace: "osm-system").run(client: cluster) { text += $0 }
        XCTAssertEqual(text, "[+] Permissive mode enabled for mesh operated by osm-controller running in 'osm-system' namespace\n\n "
                           + "[+] Pod 'ns/a\\e]0;pwned\\a\\r\\nb' is allowed to communicate to pod 'ns/c'\n")
    }

    func testEveryCommandThatLooksAMeshUpChecksItsNameWithOneWording() {
        let cluster = FakeCluster()
        let want = "Invalid mesh-name [a b]; it must be a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"
        func message(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { return (error as? OSMError)?.message }
        }
        XCTAssertEqual(message { _ = try MeshUninstall(meshName: "a b", namespace: "osm-system", force: true).run(client: cluster) }, want)
        XCTAssertEqual(message { _ = try NamespaceList(meshName: "a b").run(client: cluster) }, want)
        XCTAssertEqual(message { try MeshName.check("a b", allowEmpty: true) }, want)
        XCTAssertEqual(message { _ = try MeshUninstall(meshName: "", namespace: "osm-system", force: true).run(client: cluster) },
                       "Invalid mesh-name: it must not be empty; give the mesh's name with --mesh-name (e.g. --mesh-name osm)")
        XCTAssertNil(message { try MeshName.check("", allowEmpty: true) })
        XCTAssertEqual(cluster.calls, [])
    }

    func testNamespaceOfAnotherMeshIsNotInMeshAndUntouched() {
        let cluster = FakeCluster()
        cluster.add(.namespaces, Fixtures.namespace("app", labels: [MeshConstants.monitoredByLabel: "blue"]))
        XCTAssertEqual(kind { _ = try NamespaceRemove(namespace: "app", meshName: "osm").run(client: cluster) }, .notInMesh)
        XCTAssertTrue(cluster.calls("patch").isEmpty)
    }

    func testCommandLineFallbacksKeepTheirDefaultKind() {
        XCTAssertEqual(OSMError("anything").kind, .other)
        let e = OSMError(KubeError(.timeout, "timed out"))
        XCTAssertEqual(e.kind, .kube(.timeout))
        XCTAssertEqual(e.message, "timed out")
        XCTAssertEqual(OSMError.from(KubeError(.notFound, code: 404, "gone")).kind, .kube(.notFound))
        XCTAssertEqual(e.withMessage("longer").kind, .kube(.timeout))
        XCTAssertEqual(e.withMessage("longer").kubeError?.message, "timed out")
    }

    // MARK: namespace add / remove decisions

    func testNamespaceAddSkipsNamespacesHoldingAControllerAndPatchesTheRest() throws {
        let cluster = FakeCluster()
        cluster.add(.deployments, Fixtures.controller(mesh: "osm", namespace: "osm-system"))
        for ns in ["osm-system", "a", "b"] { cluster.add(.namespaces, Fixtures.namespace(ns)) }
        let result = try NamespaceAdd(namespaces: ["a", "osm-system", "b"], meshName: "osm").run(client: cluster)
        XCTAssertEqual(result.outcomes.map(\.namespace), ["a", "osm-system", "b"])
        XCTAssertEqual(result.outcomes.map(\.outcome), [.added, .holdsController, .added])
        XCTAssertNil(result.warning)
        XCTAssertEqual(cluster.calls("patch"), ["patch namespaces a", "patch namespaces b"])
        XCTAssertEqual(cluster.object(.namespaces, "a")?[path: "metadata", "labels", MeshConstants.monitoredByLabel], "osm")
        XCTAssertEqual(cluster.object(.namespaces, "a")?[path: "metadata", "annotations", MeshConstants.sidecarInjectionAnnotation], "enabled")
        XCTAssertNil(cluster.object(.namespaces, "osm-system")?[path: "metadata", "labels", MeshConstants.monitoredByLabel])
    }

    func testNamespaceAddWithoutClusterWideListFallsBackToEachNamespace() throws {
        let cluster = FakeCluster()
        cluster.add(.deployments, Fixtures.controller(mesh: "osm", namespace: "osm-system"))
        for ns in ["osm-system", "a"] { cluster.add(.namespaces, Fixtures.namespace(ns)) }
        cluster.failures["list deployments"] = KubeError(.forbidden, code: 403, "forbidden")
        let result = try NamespaceAdd(namespaces: ["osm-system", "a", "missing"], meshName: "osm").run(client: cluster)
        // The per-namespace lists fail too (same rule): nothing is known to hold a controller,
        // every namespace is patched, and the missing one fails alone; the mesh is unknown.
        XCTAssertNil(result.warning)
        XCTAssertEqual(result.outcomes[1].outcome, .added)
        guard case .failed = result.outcomes[2].outcome else { return XCTFail("\(result.outcomes[2])") }
        XCTAssertEqual(cluster.calls("list").count, 4)

        // Allowed per namespace: the controller's namespace is recognised.
        let allowed = FakeCluster()
        allowed.add(.deployments, Fixtures.controller(mesh: "osm", namespace: "osm-system"))
        for ns in ["osm-system", "a"] { allowed.add(.namespaces, Fixtures.namespace(ns)) }
        let cw = AllowOnlyNamespacedLists(allowed)
        let second = try NamespaceAdd(namespaces: ["osm-system", "a"], meshName: "osm").run(client: cw)
        XCTAssertEqual(second.outcomes.map(\.outcome), [.holdsController, .added])
    }

    func testNamespaceAddWarnsWhenTheMeshDoesNotExist() throws {
        let cluster = FakeCluster()
        cluster.add(.deployments, Fixtures.controller(mesh: "other", namespace: "osm-system"))
        cluster.add(.namespaces, Fixtures.namespace("a"))
        let result = try NamespaceAdd(namespaces: ["a"], meshName: "osm").run(client: cluster)
        XCTAssertNotNil(result.warning)
        XCTAssertEqual(result.outcomes.map(\.outcome), [.added])
    }

    func testNamespaceRemoveOfANamespaceInNoMeshSendsNoPatch() throws {
        let cluster = FakeCluster()
        cluster.add(.namespaces, Fixtures.namespace("app"))
        XCTAssertEqual(try NamespaceRemove(namespace: "app", meshName: "osm").run(client: cluster), .notInAnyMesh)
        XCTAssertTrue(cluster.calls("patch").isEmpty)

        cluster.add(.namespaces, Fixtures.namespace("meshed", labels: [MeshConstants.monitoredByLabel: "osm"]))
        XCTAssertEqual(try NamespaceRemove(namespace: "meshed", meshName: "osm").run(client: cluster), .removed)
        XCTAssertNil(cluster.object(.namespaces, "meshed")?[path: "metadata", "labels", MeshConstants.monitoredByLabel])
    }

    // MARK: mesh list

    func testMeshListListsPodsOncePerNamespaceAndKeepsControllerOrder() throws {
        let cluster = FakeCluster()
        cluster.add(.deployments, Fixtures.controller(mesh: "blue", namespace: "blue-system", image: "reg/osm-controller:v0.8.3"))
        var second = Fixtures.controller(mesh: "blue2", namespace: "blue-system")
        second["metadata"]?["name"] = "osm-controller-2"
        cluster.add(.deployments, second)
        cluster.add(.deployments, Fixtures.controller(mesh: "red", namespace: "red-system"))
        cluster.add(.pods, Fixtures.pod("osm-controller-b", namespace: "blue-system", labels: ["app": "osm-controller"]))
        cluster.add(.pods, Fixtures.pod("osm-controller-a", namespace: "blue-system", labels: ["app": "osm-controller"]))
        cluster.add(.pods, Fixtures.pod("other", namespace: "blue-system", labels: ["app": "bookstore"]))
        let entries = try MeshList().run(client: cluster)
        XCTAssertEqual(entries.map(\.meshName), ["blue", "blue2", "red"])
        XCTAssertEqual(entries[0].controllerPods, ["osm-controller-a", "osm-controller-b"])
        XCTAssertEqual(entries[1].controllerPods, ["osm-controller-a", "osm-controller-b"])
        XCTAssertEqual(entries[2].controllerPods, [])
        XCTAssertEqual(entries.map(\.version), ["v0.8.3", "v0.8.4", "v0.8.4"])
        XCTAssertEqual(cluster.calls("list").filter { $0.hasPrefix("list pods") }, ["list pods blue-system/", "list pods red-system/"])
    }

    func testMeshListThatCannotListDeploymentsKeepsTheKind() {
        let cluster = FakeCluster()
        cluster.failures["list deployments"] = KubeError(.unauthorized, code: 401, "Unauthorized")
        XCTAssertEqual(kind { _ = try MeshList().run(client: cluster) }, .kube(.unauthorized))
    }

    // MARK: install's partial-install detection

    func install(_ mesh: String = "osm", resume: Bool = false) -> (Install, [JSONValue]) {
        var values = InstallValues()
        values.meshName = mesh
        var install = Install(values: values, namespace: "osm-system")
        install.resume = resume
        let objects = try! ControlPlaneManifest.render(values: try! values.chartValues(), namespace: "osm-system")
        return (install, objects)
    }

    func seed(_ cluster: FakeCluster, _ objects: [JSONValue], mesh: String, where keep: (JSONValue) -> Bool) {
        for o in objects where keep(o) {
            guard let r = APIResource.forObject(apiVersion: o["apiVersion"]?.stringValue ?? "", kind: o["kind"]?.stringValue ?? "") else { continue }
            var copy = o
            if r.namespaced { copy["metadata"]?["namespace"] = "osm-system" }
            copy["metadata"]?["labels"]?[MeshConstants.instanceLabel] = .string(mesh)
            cluster.add(r, copy)
        }
    }

    /// What install checks before writing: the reads (each object's name among them), then the partial-install check.
    func partialInstallCheck(_ install: Install, _ cluster: FakeCluster, _ objects: [JSONValue]) throws -> [String: JSONValue] {
        let reads = try install.readCluster(client: cluster, objects: objects)
        return try install.checkPartialInstall(objects: objects, existing: try reads.existing(namespaceExists: true))
    }

    func testNothingLeftBehindIsNoPartialInstall() throws {
        let (install, objects) = install()
        let existing = try partialInstallCheck(install, FakeCluster(), objects)
        XCTAssertTrue(existing.isEmpty)
    }

    func testSomeObjectsOfThisMeshIsAPartialInstall() {
        let (install, objects) = install()
        let cluster = FakeCluster()
        seed(cluster, objects, mesh: "osm") { $0["kind"]?.stringValue == "ServiceAccount" || $0["kind"]?.stringValue == "ConfigMap" }
        XCTAssertEqual(kind { _ = try partialInstallCheck(install, cluster, objects) }, .partialInstall)
        XCTAssertTrue(cluster.calls("create").isEmpty)
    }

    func testSomeObjectsOfThisMeshWithResumeAreReturnedToBeSkipped() throws {
        let (install, objects) = install(resume: true)
        let cluster = FakeCluster()
        seed(cluster, objects, mesh: "osm") { $0["kind"]?.stringValue == "ServiceAccount" }
        let existing = try partialInstallCheck(install, cluster, objects)
        XCTAssertEqual(existing.count, objects.filter { $0["kind"]?.stringValue == "ServiceAccount" }.count)
    }

    func testEveryObjectOfThisMeshIsMeshExists() {
        let (install, objects) = install()
        let cluster = FakeCluster()
        seed(cluster, objects, mesh: "osm") { _ in true }
        XCTAssertEqual(kind { _ = try partialInstallCheck(install, cluster, objects) }, .meshExists)
    }

    func testObjectsOfSomethingElseAreForeign() {
        let (install, objects) = install()
        let cluster = FakeCluster()
        seed(cluster, objects, mesh: "someone-else") { $0["kind"]?.stringValue == "Service" }
        XCTAssertEqual(kind { _ = try partialInstallCheck(install, cluster, objects) }, .foreignObjects)
    }

    func testAMeshOfTheSameNameElsewhereIsMeshExists() {
        let (install, _) = install()
        let cluster = FakeCluster()
        cluster.add(.deployments, Fixtures.controller(mesh: "osm", namespace: "elsewhere"))
        XCTAssertEqual(kind { _ = try install.readCluster(client: cluster, objects: []) }, .meshExists)
    }
}

/// A user who may list Deployments in a namespace but not across the cluster.
final class AllowOnlyNamespacedLists: KubeAPI, @unchecked Sendable {
    let inner: FakeCluster
    init(_ inner: FakeCluster) { self.inner = inner }
    func getPath(_ path: String) throws(KubeError) -> JSONValue { try inner.getPath(path) }
    func get(_ r: APIResource, namespace: String?, name: String) throws(KubeError) -> JSONValue { try inner.get(r, namespace: namespace, name: name) }
    func list(_ r: APIResource, namespace: String?, labelSelector: String?, fieldSelector: String?) throws(KubeError) -> [JSONValue] {
        if r == .deployments && (namespace ?? "").isEmpty { throw KubeError(.forbidden, code: 403, "forbidden") }
        return try inner.list(r, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector)
    }
    func create(_ r: APIResource, namespace: String?, _ object: JSONValue) throws(KubeError) -> JSONValue { try inner.create(r, namespace: namespace, object) }
    func patch(_ r: APIResource, namespace: String?, name: String, _ patch: JSONValue, type: PatchType) throws(KubeError) -> JSONValue {
        try inner.patch(r, namespace: namespace, name: name, patch, type: type)
    }
    func delete(_ r: APIResource, namespace: String?, name: String, propagationPolicy: String?) throws(KubeError) {
        try inner.delete(r, namespace: namespace, name: name, propagationPolicy: propagationPolicy)
    }
}
