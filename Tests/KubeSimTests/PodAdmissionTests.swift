import Foundation
import XCTest
import ObjectModel
import TestSupport

/// What a 1.20 server does to every pod before it stores it: the admission plugins that are always on
/// (ServiceAccount, Priority, DefaultTolerationSeconds), the QoS class, and ValidatePodUpdate's rule that
/// a pod's spec barely changes. (Expected answers written from the v1.20 sources cited in the server's
/// comments, from knowledge of them.)
final class PodAdmissionTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    private func json(_ r: ProcessResult, file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return (try? JSONValue(parsing: Array(r.stdout.utf8))) ?? .null
    }

    /// plugin/pkg/admission/serviceaccount/admission.go: `default` when none is named, the token Secret as a
    /// `secret` volume mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container
    /// (init containers too, not where something is mounted there already), the account's imagePullSecrets;
    /// a missing account refuses the pod (403). Priority gives 0 and PreemptLowerThan;
    /// DefaultTolerationSeconds the not-ready/unreachable NoExecute tolerations for 300 s.
    func testServiceAccountAdmissionAndDefaultTolerations() throws {
        let manifest = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              initContainers:
              - {name: init, image: busybox:1.32}
              containers:
              - {name: main, image: nginx:1.19}
              - name: own
                image: nginx:1.19
                volumeMounts: [{name: mine, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
              volumes: [{name: mine, emptyDir: {}}]
              tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]
            """
        var r = try h.kubectl("apply", "-f", "-", stdin: manifest)
        XCTAssertEqual(r.status, 0, r.stderr)
        let pod = json(try h.kubectl("get", "pod", "web", "-o", "json"))
        let spec = pod["spec"] ?? [:]
        XCTAssertEqual(spec["serviceAccountName"]?.stringValue, "default")
        XCTAssertEqual(spec["serviceAccount"]?.stringValue, "default")
        let tokenSecret = json(try h.kubectl("get", "sa", "default", "-o", "json"))[path: "secrets"]?[0]?["name"]?.stringValue ?? "?"
        let mount: JSONValue = ["name": .string(tokenSecret), "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"]
        XCTAssertEqual(spec[path: "initContainers"]?[0]?["volumeMounts"], [mount])
        XCTAssertEqual(spec[path: "containers"]?[0]?["volumeMounts"], [mount])
        XCTAssertEqual(spec[path: "containers"]?[1]?["volumeMounts"], [["name": "mine", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"]])
        XCTAssertEqual(spec["volumes"], [["name": "mine", "emptyDir": [:]],
                                         ["name": .string(tokenSecret), "secret": ["secretName": .string(tokenSecret), "defaultMode": 420]]])
        XCTAssertEqual(spec["priority"]?.intValue, 0)
        XCTAssertEqual(spec["preemptionPolicy"]?.stringValue, "PreemptLowerThan")
        XCTAssertEqual(spec["enableServiceLinks"]?.boolValue, true)
        XCTAssertEqual(spec["tolerations"], [
            ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60],
            ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
        ])

        // automountServiceAccountToken: false on the account (or the pod) mounts nothing; imagePullSecrets come along.
        r = try h.kubectl("apply", "-f", "-", stdin: """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: quiet}
            automountServiceAccountToken: false
            imagePullSecrets: [{name: registry}]
            """)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try h.kubectl("run", "q", "--image=nginx:1.19", "--overrides={\"spec\":{\"serviceAccountName\":\"quiet\"}}")
        XCTAssertEqual(r.status, 0, r.stderr)
        let q = json(try h.kubectl("get", "pod", "q", "-o", "json"))
        XCTAssertNil(q[path: "spec", "volumes"])
        XCTAssertNil(q[path: "spec", "containers"]?[0]?["volumeMounts"])
        XCTAssertEqual(q[path: "spec", "imagePullSecrets"], [["name": "registry"]])

        // A missing account: 403, named by generateName when the pod has no name yet.
        r = try h.kubectl("run", "ghostly", "--image=nginx:1.19", "--overrides={\"spec\":{\"serviceAccountName\":\"ghost\"}}")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr,
                       "Error from server (Forbidden): pods \"ghostly\" is forbidden: error looking up service account default/ghost: serviceaccount \"ghost\" not found\n")
        let reply = try h.request("POST", "/api/v1/namespaces/default/pods", body: """
            {"metadata":{"generateName":"batch-"},"spec":{"serviceAccountName":"ghost","containers":[{"name":"c","image":"nginx"}]}}
            """)
        XCTAssertEqual(reply.status, 403)
        XCTAssertEqual(reply.json?["message"]?.stringValue,
                       "pods \"batch-\" is forbidden: error looking up service account default/ghost: serviceaccount \"ghost\" not found")
        XCTAssertEqual(reply.json?["reason"]?.stringValue, "Forbidden")
    }

    /// The ReplicaSet controller creates pods through the API, so a template naming a missing account gets
    /// FailedCreate events (`Error creating: pods "<rs>-" is forbidden: ...`), a ReplicaFailure condition and no
    /// pods; once the account exists the pods come.
    func testDeploymentWithAMissingServiceAccount() throws {
        XCTAssertEqual(try h.kubectl("create", "deployment", "web", "--image=nginx:1.19").status, 0)
        var r = try h.kubectl("patch", "deployment", "web", "-p", "{\"spec\":{\"template\":{\"spec\":{\"serviceAccountName\":\"app\"}}}}")
        XCTAssertEqual(r.status, 0, r.stderr)
        var rsName = ""
        try eventually("a FailedCreate event") {
            let events = json(try h.kubectl("get", "events", "--field-selector", "reason=FailedCreate", "-o", "json"))
            guard let e = events["items"]?.arrayValue?.first else { return false }
            rsName = e[path: "involvedObject", "name"]?.stringValue ?? ""
            XCTAssertEqual(e["type"]?.stringValue, "Warning")
            XCTAssertEqual(e[path: "involvedObject", "kind"]?.stringValue, "ReplicaSet")
            XCTAssertEqual(e["message"]?.stringValue,
                           "Error creating: pods \"\(rsName)-\" is forbidden: error looking up service account default/app: serviceaccount \"app\" not found")
            return true
        }
        let rs = json(try h.kubectl("get", "rs", rsName, "-o", "json"))
        let condition = rs[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "ReplicaFailure" }
        XCTAssertEqual(condition?["reason"]?.stringValue, "FailedCreate")
        XCTAssertEqual(condition?["status"]?.stringValue, "True")
        XCTAssertEqual(rs[path: "status", "replicas"]?.intValue, 0)
        // The Deployment carries it too (progress.go syncRolloutStatus), as `kubectl describe deployment` shows.
        let deployment = json(try h.kubectl("get", "deployment", "web", "-o", "json"))
        let copied = deployment[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "ReplicaFailure" }
        XCTAssertEqual(copied?["reason"]?.stringValue, "FailedCreate")
        XCTAssertEqual(copied?["message"], condition?["message"])
        r = try h.kubectl("get", "pods", "-l", "app=web", "-o", "json")
        XCTAssertEqual(json(r)["items"]?.arrayValue?.filter { $0[path: "spec", "serviceAccountName"]?.stringValue == "app" }.count, 0)

        XCTAssertEqual(try h.kubectl("create", "serviceaccount", "app").status, 0)
        r = try h.kubectl("rollout", "status", "deployment/web", "--timeout=60s")
        XCTAssertEqual(r.status, 0, r.stderr)
        // (The old pod may still be terminating.)
        let pods = (json(try h.kubectl("get", "pods", "-l", "app=web", "-o", "json"))["items"]?.arrayValue ?? [])
            .filter { $0[path: "metadata", "deletionTimestamp"] == nil }
        XCTAssertEqual(pods.map { $0[path: "spec", "serviceAccountName"]?.stringValue }, ["app"])
        let after = json(try h.kubectl("get", "rs", rsName, "-o", "json"))
        XCTAssertNil(after[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "ReplicaFailure" })
    }

    /// pkg/apis/core/helper/qos GetPodQOS, set by the pod strategy's PrepareForCreate; requests default to
    /// limits on pods (SetDefaults_Pod).
    func testQOSClass() throws {
        func create(_ name: String, _ resources: String) throws -> JSONValue {
            let r = try h.kubectl("apply", "-f", "-", stdin: """
                apiVersion: v1
                kind: Pod
                metadata: {name: \(name)}
                spec:
                  containers:
                  - {name: c, image: nginx:1.19, resources: \(resources)}
                """)
            XCTAssertEqual(r.status, 0, r.stderr)
            return json(try h.kubectl("get", "pod", name, "-o", "json"))
        }
        XCTAssertEqual(try create("none", "{}")[path: "status", "qosClass"]?.stringValue, "BestEffort")
        let guaranteed = try create("limits", "{limits: {cpu: 500m, memory: 128Mi}}")
        XCTAssertEqual(guaranteed[path: "status", "qosClass"]?.stringValue, "Guaranteed")
        XCTAssertEqual(guaranteed[path: "spec", "containers"]?[0]?[path: "resources", "requests"], ["cpu": "500m", "memory": "128Mi"])
        XCTAssertEqual(try create("equal", "{requests: {cpu: '0.5', memory: 128Mi}, limits: {cpu: 500m, memory: 128Mi}}")[path: "status", "qosClass"]?.stringValue,
                       "Guaranteed")
        XCTAssertEqual(try create("some", "{requests: {cpu: 100m}}")[path: "status", "qosClass"]?.stringValue, "Burstable")
        XCTAssertEqual(try create("cpuonly", "{limits: {cpu: 100m}}")[path: "status", "qosClass"]?.stringValue, "Burstable")
        // It stays once the pod runs, and kubectl describe shows it.
        eventually("pod running") { (try? h.kubectl("get", "pod", "limits", "-o", "jsonpath={.status.phase}").stdout) == "Running" }
        XCTAssertEqual(try h.kubectl("get", "pod", "limits", "-o", "jsonpath={.status.qosClass}").stdout, "Guaranteed")
        let describe = try h.kubectl("describe", "pod", "some").stdout
        XCTAssertNotNil(describe.split(separator: "\n").first { $0.hasPrefix("QoS Class:") && $0.hasSuffix(" Burstable") }, describe)
    }

    /// pkg/apis/core/validation ValidatePodUpdate (v1.20): images, activeDeadlineSeconds (not raised) and added
    /// tolerations may change; anything else in the spec is Forbidden with the fixed message (then a diff).
    func testPodSpecUpdatesAreRefused() throws {
        XCTAssertEqual(try h.kubectl("run", "p", "--image=nginx:1.19").status, 0)
        var r = try h.kubectl("patch", "pod", "p", "-p", "{\"spec\":{\"restartPolicy\":\"Never\"}}")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix(
            "The Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations` (only additions to existing tolerations)\n"),
            r.stderr)
        XCTAssertTrue(r.stderr.contains("\n\nA: Never"), r.stderr)
        r = try h.kubectl("patch", "pod", "p", "--type=json", "-p", "[{\"op\":\"add\",\"path\":\"/spec/containers/-\",\"value\":{\"name\":\"x\",\"image\":\"busybox\"}}]")
        XCTAssertEqual(r.stderr, "The Pod \"p\" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers\n")
        // What may change does.
        r = try h.kubectl("set", "image", "pod/p", "p=nginx:1.20")
        XCTAssertEqual(r.stdout, "pod/p image updated\n", r.stderr)
        r = try h.kubectl("patch", "pod", "p", "-p", "{\"spec\":{\"activeDeadlineSeconds\":600}}")
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try h.kubectl("patch", "pod", "p", "-p", "{\"spec\":{\"activeDeadlineSeconds\":900}}")
        XCTAssertEqual(r.stderr, "The Pod \"p\" is invalid: spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value\n")
        r = try h.kubectl("patch", "pod", "p", "--type=json", "-p",
                          "[{\"op\":\"add\",\"path\":\"/spec/tolerations/-\",\"value\":{\"key\":\"dedicated\",\"operator\":\"Exists\"}}]")
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try h.kubectl("patch", "pod", "p", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/spec/tolerations/2\"}]")
        XCTAssertEqual(r.stderr, "The Pod \"p\" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds\n")
        // Metadata is not the spec.
        XCTAssertEqual(try h.kubectl("label", "pod", "p", "tier=web").status, 0)
        let pod = json(try h.kubectl("get", "pod", "p", "-o", "json"))
        XCTAssertEqual(pod[path: "spec", "containers"]?[0]?["image"]?.stringValue, "nginx:1.20")
        XCTAssertEqual(pod[path: "spec", "activeDeadlineSeconds"]?.intValue, 600)
        XCTAssertEqual(pod[path: "spec", "tolerations"]?.arrayValue?.count, 3)
        XCTAssertNil(pod[path: "metadata", "generation"], "pods have no generation in 1.20")
        // A pod seeded without its defaults compares as the defaulted pod a real server would read back.
        try h.sim.put(["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "raw", "namespace": "default"],
                       "spec": ["containers": [["name": "app", "image": "busybox"]]]])
        r = try h.kubectl("annotate", "pod", "raw", "a=b")
        XCTAssertEqual(r.stdout, "pod/raw annotated\n", r.stderr)
    }
}
