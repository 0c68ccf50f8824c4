import XCTest
import ObjectModel
import TestSupport

/// kubectl, a client no one here wrote, against kube-sim: it must behave as against a real cluster.
final class KubectlConformanceTests: XCTestCase {
    var h: ClusterHarness!

    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    func testVersion() throws {
        let out = try h.kubectl("version", "-o", "json")
        XCTAssertEqual(out.status, 0, out.stderr)
        let v = try JSONValue(parsing: out.stdout)
        XCTAssertEqual(v[path: "serverVersion", "gitVersion"]?.stringValue, "v1.20.15")
        XCTAssertEqual(v[path: "serverVersion", "minor"]?.stringValue, "20")
    }

    func testNamespacesCreateGetLabelAnnotateAndErrors() throws {
        var out = try h.kubectl("create", "namespace", "x")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, "namespace/x created\n")

        out = try h.kubectl("create", "namespace", "x")
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.errors, "Error from server (AlreadyExists): namespaces \"x\" already exists")

        out = try h.kubectl("get", "namespace", "nope")
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.errors, "Error from server (NotFound): namespaces \"nope\" not found")

        out = try h.kubectl("create", "namespace", "Bad_Name")
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.errors.hasPrefix("The Namespace \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of"), out.errors)

        out = try h.kubectl("label", "namespace", "x", "team=blue", "tier=web")
        XCTAssertEqual(out.stdout, "namespace/x labeled\n", out.stderr)
        out = try h.kubectl("annotate", "namespace", "x", "note=hello")
        XCTAssertEqual(out.stdout, "namespace/x annotated\n", out.stderr)
        _ = try h.kubectl("create", "namespace", "y")
        _ = try h.kubectl("label", "namespace", "y", "team=red")

        out = try h.kubectl("get", "namespace", "x", "-o", "json")
        let ns = try JSONValue(parsing: out.stdout)
        XCTAssertEqual(ns[path: "metadata", "labels", "team"]?.stringValue, "blue")
        XCTAssertEqual(ns[path: "metadata", "annotations", "note"]?.stringValue, "hello")
        XCTAssertEqual(ns[path: "status", "phase"]?.stringValue, "Active")

        func names(_ selector: String) throws -> [String] {
            let o = try h.kubectl("get", "namespaces", "-l", selector, "-o", "jsonpath={.items[*].metadata.name}")
            XCTAssertEqual(o.status, 0, o.stderr)
            return o.stdout.split(separator: " ").map(String.init)
        }
        XCTAssertEqual(try names("team=blue"), ["x"])
        XCTAssertEqual(try names("team==red"), ["y"])
        XCTAssertEqual(try names("team in (blue,red)"), ["x", "y"])
        XCTAssertEqual(try names("team notin (blue),team"), ["y"])
        XCTAssertEqual(try names("team,tier"), ["x"])
        XCTAssertEqual(try names("team!=blue,team"), ["y"])
        XCTAssertEqual(try names("!team").sorted(), ["default", "kube-node-lease", "kube-public", "kube-system"])

        out = try h.kubectl("get", "configmap", "kube-root-ca.crt", "-n", "x", "-o", "jsonpath={.data.ca\\.crt}")
        XCTAssertEqual(out.stdout, h.sim.caPEM)
    }

    func testConfigMapsWithMergeAndStrategicPatches() throws {
        XCTAssertEqual(try h.kubectl("create", "namespace", "cfg").status, 0)
        var out = try h.kubectl("create", "configmap", "c", "-n", "cfg", "--from-literal=a=1", "--from-literal=b=2")
        XCTAssertEqual(out.stdout, "configmap/c created\n", out.stderr)
        out = try h.kubectl("patch", "configmap", "c", "-n", "cfg", "--type=merge", "-p", #"{"data":{"a":"10","b":null,"c":"3"}}"#)
        XCTAssertEqual(out.stdout, "configmap/c patched\n", out.stderr)
        out = try h.kubectl("get", "configmap", "c", "-n", "cfg", "-o", "json")
        XCTAssertEqual(try JSONValue(parsing: out.stdout)["data"], ["a": "10", "c": "3"])
        out = try h.kubectl("patch", "configmap", "c", "-n", "cfg", "-p", #"{"metadata":{"labels":{"k":"v"}},"data":{"d":"4"}}"#)
        XCTAssertEqual(out.stdout, "configmap/c patched\n", out.stderr)
        out = try h.kubectl("patch", "configmap", "c", "-n", "cfg", "--type=json", "-p", #"[{"op":"remove","path":"/data/a"}]"#)
        XCTAssertEqual(out.stdout, "configmap/c patched\n", out.stderr)
        out = try h.kubectl("get", "configmap", "c", "-n", "cfg", "-o", "json")
        let cm = try JSONValue(parsing: out.stdout)
        XCTAssertEqual(cm["data"], ["c": "3", "d": "4"])
        XCTAssertEqual(cm[path: "metadata", "labels", "k"]?.stringValue, "v")
        out = try h.kubectl("patch", "configmap", "c", "-n", "cfg", "--type=merge", "-p", #"{"data":{"c":"3"}}"#)
        XCTAssertEqual(out.stdout, "configmap/c patched (no change)\n", out.stderr)

        out = try h.kubectl("get", "configmap", "nope", "-n", "cfg")
        XCTAssertEqual(out.errors, "Error from server (NotFound): configmaps \"nope\" not found")
        out = try h.kubectl("create", "configmap", "c2", "-n", "missing-ns", "--from-literal=a=1")
        XCTAssertEqual(out.errors, "error: failed to create configmap: namespaces \"missing-ns\" not found")
        out = try h.kubectl("create", "secret", "generic", "s", "-n", "cfg", "--from-literal=password=hunter2")
        XCTAssertEqual(out.stdout, "secret/s created\n", out.stderr)
        out = try h.kubectl("get", "secret", "s", "-n", "cfg", "-o", "jsonpath={.data.password}")
        XCTAssertEqual(out.stdout, "aHVudGVyMg==")
        out = try h.kubectl("create", "serviceaccount", "robot", "-n", "cfg")
        XCTAssertEqual(out.stdout, "serviceaccount/robot created\n", out.stderr)
        out = try h.kubectl("get", "configmaps", "-A", "-o", "jsonpath={.items[*].metadata.name}")
        XCTAssertTrue(out.stdout.contains("kube-root-ca.crt"))
        XCTAssertTrue(out.stdout.contains(" c ") || out.stdout.hasPrefix("c ") || out.stdout.contains(" c"), out.stdout)
    }

    static let manifest = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: shop
        data:
          mode: "fast"
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
        spec:
          selector: {app: web}
          ports:
          - port: 80
            targetPort: 8080
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.19
                ports:
                - containerPort: 8080
                env:
                - name: MODE
                  value: fast
        """

    func testApplyThreeTimesAndRollout() throws {
        let file = h.file("manifest.yaml")
        try Self.manifest.write(toFile: file, atomically: true, encoding: .utf8)
        var out = try h.kubectl("apply", "-f", file)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, """
            namespace/shop created
            configmap/settings created
            service/web created
            deployment.apps/web created

            """)
        XCTAssertEqual(out.errors, "")

        out = try h.kubectl("apply", "-f", file)
        XCTAssertEqual(out.stdout, """
            namespace/shop unchanged
            configmap/settings unchanged
            service/web unchanged
            deployment.apps/web unchanged

            """, out.stderr)

        let changed = Self.manifest.replacingOccurrences(of: "mode: \"fast\"", with: "mode: \"slow\"")
            .replacingOccurrences(of: "value: fast", with: "value: slow")
        try changed.write(toFile: file, atomically: true, encoding: .utf8)
        out = try h.kubectl("apply", "-f", file)
        XCTAssertEqual(out.stdout, """
            namespace/shop unchanged
            configmap/settings configured
            service/web unchanged
            deployment.apps/web configured

            """, out.stderr)
        XCTAssertEqual(out.errors, "")

        out = try h.kubectl("rollout", "status", "deployment/web", "-n", "shop", "--timeout=60s")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("deployment \"web\" successfully rolled out"), out.stdout)
        out = try h.kubectl("wait", "--for=condition=Available", "deployment/web", "-n", "shop", "--timeout=60s")
        XCTAssertEqual(out.stdout, "deployment.apps/web condition met\n", out.stderr)

        out = try h.kubectl("get", "deployment", "web", "-n", "shop", "-o", "json")
        let d = try JSONValue(parsing: out.stdout)
        XCTAssertEqual(d[path: "status", "readyReplicas"]?.intValue, 2)
        XCTAssertEqual(d[path: "status", "availableReplicas"]?.intValue, 2)
        XCTAssertEqual(d[path: "metadata", "generation"]?.intValue, 2)
        XCTAssertEqual(d[path: "spec", "template", "spec", "containers"]?[0]?["env"], [["name": "MODE", "value": "slow"]])

        try eventually("old pods gone") {
            let pods = try JSONValue(parsing: try h.kubectl("get", "pods", "-n", "shop", "-l", "app=web", "-o", "json").stdout)
            let items = pods["items"]?.arrayValue ?? []
            return items.count == 2 && items.allSatisfy {
                $0[path: "status", "phase"]?.stringValue == "Running"
                    && $0[path: "spec", "containers"]?[0]?["env"]?[0]?["value"]?.stringValue == "slow"
                    && ($0[path: "metadata", "name"]?.stringValue ?? "").hasPrefix("web-")
            }
        }
    }

    func testNamespaceDeletion() throws {
        XCTAssertEqual(try h.kubectl("create", "namespace", "doomed").status, 0)
        XCTAssertEqual(try h.kubectl("create", "configmap", "c", "-n", "doomed", "--from-literal=a=1").status, 0)
        let out = try h.kubectl("delete", "namespace", "doomed")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, "namespace \"doomed\" deleted\n")
        let get = try h.kubectl("get", "namespace", "doomed")
        XCTAssertEqual(get.errors, "Error from server (NotFound): namespaces \"doomed\" not found")
        XCTAssertTrue(h.sim.objects(group: "", version: "v1", resource: "configmaps", namespace: "doomed").isEmpty)
    }

    func testUnknownFieldRejectedWithStrictValidation() throws {
        let file = h.file("bad.yaml")
        try """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: bad
              namespace: default
            color: blue
            data: {a: b}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let out = try h.kubectl("apply", "-f", file)
        XCTAssertNotEqual(out.status, 0)
        XCTAssertTrue(out.errors.contains("unknown field \"color\""), out.errors)
        XCTAssertNil(h.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: "bad"))
    }
}
