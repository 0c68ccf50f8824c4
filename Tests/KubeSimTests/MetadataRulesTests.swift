import Foundation
import XCTest
import ObjectModel
import TestSupport

/// Object metadata as the 1.20 generic registry handles it: generation, uid preconditions and immutability,
/// resourceVersion on create, generateName, v4 uids. (Expected answers written from the v1.20 sources cited in
/// the server's comments, from knowledge of them.)
final class MetadataRulesTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    private func json(_ r: ProcessResult, file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return (try? JSONValue(parsing: Array(r.stdout.utf8))) ?? .null
    }

    private func generation(_ kind: String, _ name: String) throws -> Int? {
        json(try h.kubectl("get", kind, name, "-o", "json"))[path: "metadata", "generation"]?.intValue
    }

    /// pkg/registry/apps/deployment/strategy.go PrepareForUpdate (v1.20): a Deployment's generation goes up on
    /// a spec change and on an annotation change ("annotations are copied from deployments to their replica
    /// sets"), not on a label change or a status write (the controller's revision annotation goes through
    /// UpdateStatus). markAsDeleting (registry/generic/registry/store.go) bumps it when a deletion waits on
    /// finalizers. Kinds without a generation (ConfigMaps, Pods, Services) never get one.
    func testDeploymentGeneration() throws {
        XCTAssertEqual(try h.kubectl("create", "deployment", "web", "--image=nginx:1.19").status, 0)
        XCTAssertEqual(try generation("deployment", "web"), 1)
        XCTAssertEqual(try h.kubectl("label", "deployment", "web", "tier=front").status, 0)
        XCTAssertEqual(try generation("deployment", "web"), 1, "labels leave it")
        XCTAssertEqual(try h.kubectl("annotate", "deployment", "web", "owner=me").status, 0)
        XCTAssertEqual(try generation("deployment", "web"), 2, "annotations bump it")
        XCTAssertEqual(try h.kubectl("scale", "deployment", "web", "--replicas=2").status, 0)
        XCTAssertEqual(try generation("deployment", "web"), 3)
        XCTAssertEqual(try h.kubectl("patch", "deployment", "web", "-p", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}").status, 0)
        XCTAssertEqual(try generation("deployment", "web"), 3, "finalizers are metadata")
        XCTAssertEqual(try h.kubectl("delete", "deployment", "web", "--wait=false").status, 0)
        let d = json(try h.kubectl("get", "deployment", "web", "-o", "json"))
        XCTAssertNotNil(d[path: "metadata", "deletionTimestamp"])
        XCTAssertEqual(d[path: "metadata", "generation"]?.intValue, 4, "the deletionTimestamp bumps it")
        XCTAssertEqual(try h.kubectl("patch", "deployment", "web", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]").status, 0)

        XCTAssertEqual(try h.kubectl("create", "configmap", "c", "--from-literal=a=b").status, 0)
        XCTAssertNil(try generation("configmap", "c"))
        XCTAssertEqual(try h.kubectl("run", "p", "--image=nginx:1.19").status, 0)
        XCTAssertNil(try generation("pod", "p"))
        XCTAssertNil(try generation("namespace", "default"))
    }

    /// handlers/rest.go defaultUpdatedObjectInfo.Preconditions: a uid in a PUT body is a precondition, which
    /// fails as storage's Preconditions.Check does (an invalid-object StorageError, 409 Conflict through
    /// storeerr.InterpretUpdateError); a patch that changes the uid fails ValidateObjectMetaUpdate (422).
    func testUIDIsAPreconditionOnUpdateAndImmutable() throws {
        XCTAssertEqual(try h.kubectl("create", "configmap", "c", "--from-literal=a=b").status, 0)
        var cm = json(try h.kubectl("get", "configmap", "c", "-o", "json"))
        let uid = cm[path: "metadata", "uid"]?.stringValue ?? ""
        cm["metadata"]?["uid"] = "6d2f2a0c-0000-4000-8000-000000000000"
        cm["data"] = ["a": "changed"]
        var r = try h.kubectl("replace", "-f", "-", stdin: cm.jsonString())
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr,
                       "Error from server (Conflict): error when replacing \"STDIN\": Operation cannot be fulfilled on configmaps \"c\": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/c, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: 6d2f2a0c-0000-4000-8000-000000000000, UID in object meta: \(uid)\n")
        // The precondition is checked before the resourceVersion.
        cm["metadata"]?["resourceVersion"] = "1"
        let reply = try h.request("PUT", "/api/v1/namespaces/default/configmaps/c", body: cm.jsonString())
        XCTAssertEqual(reply.status, 409)
        XCTAssertEqual(reply.json?["reason"]?.stringValue, "Conflict")
        XCTAssertTrue(reply.json?["message"]?.stringValue?.hasSuffix("UID in object meta: \(uid)") ?? false, reply.body)
        // The right uid is fine.
        cm["metadata"]?["uid"] = .string(uid)
        cm["metadata"]?["resourceVersion"] = nil
        r = try h.kubectl("replace", "-f", "-", stdin: cm.jsonString())
        XCTAssertEqual(r.stdout, "configmap/c replaced\n", r.stderr)

        r = try h.kubectl("patch", "configmap", "c", "-p", "{\"metadata\":{\"uid\":\"other\"}}")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "The ConfigMap \"c\" is invalid: metadata.uid: Invalid value: \"other\": field is immutable\n")
        XCTAssertEqual(json(try h.kubectl("get", "configmap", "c", "-o", "json"))[path: "metadata", "uid"]?.stringValue, uid)
    }

    /// apiserver/pkg/storage/etcd3/store.go Create: "resourceVersion should not be set on objects to be
    /// created", a plain error, so 500 with no reason (ErrorToAPIStatus). (kubectl create clears it before it
    /// sends, resource.Helper.CreateWithOptions, so the request is made here directly.)
    func testResourceVersionOnCreateIsRefused() throws {
        let reply = try h.request("POST", "/api/v1/namespaces/default/configmaps",
                                  body: "{\"metadata\":{\"name\":\"c\",\"resourceVersion\":\"42\"}}")
        XCTAssertEqual(reply.status, 500)
        XCTAssertEqual(reply.json, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                                    "message": "resourceVersion should not be set on objects to be created", "code": 500])
        // A dry run does not reach the storage's check.
        let dry = try h.request("POST", "/api/v1/namespaces/default/configmaps?dryRun=All",
                                body: "{\"metadata\":{\"name\":\"c\",\"resourceVersion\":\"42\"}}")
        XCTAssertEqual(dry.status, 201, dry.body)
        XCTAssertNil(h.configMap("c", in: "default"))
    }

    /// names.SimpleNameGenerator (apiserver/pkg/storage/names): the prefix cut to 58 characters, then 5 of
    /// `bcdfghjklmnpqrstvwxz2456789`; ValidateObjectMeta checks generateName as a prefix (a trailing `-`
    /// masked) before the name. uids are random (v4) UUIDs.
    func testGenerateNameAndUIDs() throws {
        let alphabet = Set("bcdfghjklmnpqrstvwxz2456789")
        var r = try h.kubectl("create", "-f", "-", "-o", "json", stdin: """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"settings-"}}
            """)
        let made = json(r)
        let name = made[path: "metadata", "name"]?.stringValue ?? ""
        XCTAssertTrue(name.hasPrefix("settings-") && name.count == 14 && Set(name.dropFirst(9)).isSubset(of: alphabet), name)
        XCTAssertEqual(made[path: "metadata", "generateName"]?.stringValue, "settings-")
        let uid = made[path: "metadata", "uid"]?.stringValue ?? ""
        let v4 = try NSRegularExpression(pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        XCTAssertNotNil(v4.firstMatch(in: uid, range: NSRange(uid.startIndex..., in: uid)), uid)

        let long = String(repeating: "a", count: 70)
        r = try h.kubectl("create", "-f", "-", "-o", "jsonpath={.metadata.name}", stdin: """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"\(long)"}}
            """)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.count, 63)
        XCTAssertTrue(r.stdout.hasPrefix(String(repeating: "a", count: 58)), r.stdout)

        // A generateName that is no valid prefix: both it and the name made from it are refused.
        let reply = try h.request("POST", "/api/v1/namespaces/default/configmaps", body: "{\"metadata\":{\"generateName\":\"Bad_\"}}")
        XCTAssertEqual(reply.status, 422, reply.body)
        let causes = reply.json?[path: "details", "causes"]?.arrayValue ?? []
        XCTAssertEqual(causes.map { $0["field"]?.stringValue }, ["metadata.generateName", "metadata.name"])
        XCTAssertTrue(reply.json?["message"]?.stringValue?.hasPrefix(
            "ConfigMap \"Bad_") ?? false, reply.body)
        XCTAssertTrue(reply.json?["message"]?.stringValue?.contains(
            "is invalid: [metadata.generateName: Invalid value: \"Bad_\": a lowercase RFC 1123 subdomain must consist of") ?? false, reply.body)
        // A prefix ending in '-' is fine (pods of a ReplicaSet, `<rs>-`), and a name wins over generateName.
        r = try h.kubectl("create", "-f", "-", "-o", "jsonpath={.metadata.name}", stdin: """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fixed","generateName":"x-"}}
            """)
        XCTAssertEqual(r.stdout, "fixed", r.stderr)
    }
}
