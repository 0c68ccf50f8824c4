import XCTest
import ObjectModel
import TestSupport

/// The APIs controllers touch at start on a real v1.20 server: Leases (leader election).
final class ControllerAPITests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    /// client-go's leaderelection (tools/leaderelection/resourcelock/leaselock.go) gets the Lease, creates it
    /// when missing and updates it with the resourceVersion it read; a second candidate holding an older
    /// resourceVersion gets 409 Conflict (apiserver's GuaranteedUpdate), re-reads and sees the holder.
    /// Validation is pkg/apis/coordination/validation/validation.go ValidateLeaseSpec (v1.20): every spec
    /// field optional, leaseDurationSeconds > 0 and leaseTransitions >= 0 when set.
    func testLeaderElectionWithLeases() throws {
        let base = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"
        var (status, body) = try h.json("GET", base + "/ctrl")
        XCTAssertEqual(status, 404)
        XCTAssertEqual(body["message"]?.stringValue, "leases.coordination.k8s.io \"ctrl\" not found")
        let now = "2026-01-01T00:00:00.000000Z"
        (status, body) = try h.json("POST", base, body: [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "ctrl"],
            "spec": ["holderIdentity": "a", "leaseDurationSeconds": 15, "acquireTime": .string(now), "renewTime": .string(now),
                     "leaseTransitions": 0, "bogus": 1],
        ])
        XCTAssertEqual(status, 201, body.jsonString())
        XCTAssertEqual(body[path: "spec", "holderIdentity"]?.stringValue, "a")
        XCTAssertNil(body[path: "spec", "bogus"], "fields LeaseSpec does not declare are dropped")
        let read = body
        // Candidate a renews with the resourceVersion it holds.
        var renew = read
        renew["spec"]?["renewTime"] = "2026-01-01T00:00:10.000000Z"
        (status, body) = try h.json("PUT", base + "/ctrl", body: renew)
        XCTAssertEqual(status, 200, body.jsonString())
        // Candidate b tries to take over with the stale object it read earlier.
        var takeover = read
        takeover["spec"]?["holderIdentity"] = "b"
        takeover["spec"]?["leaseTransitions"] = 1
        (status, body) = try h.json("PUT", base + "/ctrl", body: takeover)
        XCTAssertEqual(status, 409)
        XCTAssertEqual(body["message"]?.stringValue,
                       "Operation cannot be fulfilled on leases.coordination.k8s.io \"ctrl\": the object has been modified; please apply your changes to the latest version and try again")
        (status, body) = try h.json("GET", base + "/ctrl")
        XCTAssertEqual(body[path: "spec", "holderIdentity"]?.stringValue, "a")
        XCTAssertEqual(body[path: "spec", "renewTime"]?.stringValue, "2026-01-01T00:00:10.000000Z")

        // An empty spec is valid; bad durations and transitions are 422 in 1.20's words.
        (status, body) = try h.json("POST", base, body: ["metadata": ["name": "empty"], "spec": [:]])
        XCTAssertEqual(status, 201, body.jsonString())
        (status, body) = try h.json("POST", base, body: ["metadata": ["name": "bad"], "spec": ["leaseDurationSeconds": 0, "leaseTransitions": -1]])
        XCTAssertEqual(status, 422)
        XCTAssertEqual(body["message"]?.stringValue,
                       "Lease.coordination.k8s.io \"bad\" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0, spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]")

        // Listed, watched and discovered (v1 and, before 1.22, v1beta1).
        (status, body) = try h.json("GET", "/apis/coordination.k8s.io/v1/leases")
        XCTAssertEqual(body["kind"]?.stringValue, "LeaseList")
        XCTAssertEqual(body["items"]?.arrayValue?.count, 2)
        let watch = try h.request("GET", base + "?watch=1&resourceVersion=0&timeoutSeconds=1")
        XCTAssertTrue(watch.body.contains("\"type\":\"ADDED\"") && watch.body.contains("\"name\":\"ctrl\""), watch.body)
        (status, body) = try h.json("GET", "/apis/coordination.k8s.io/v1")
        XCTAssertEqual(body["resources"]?[0]?["name"]?.stringValue, "leases")
        XCTAssertEqual(body["resources"]?[0]?["namespaced"]?.boolValue, true)
        (status, body) = try h.json("GET", "/apis/coordination.k8s.io")
        XCTAssertEqual(body[path: "preferredVersion", "groupVersion"]?.stringValue, "coordination.k8s.io/v1")
        let get = try h.kubectl("get", "leases", "-n", "kube-system", "-o", "name")
        XCTAssertEqual(get.stdout, "lease.coordination.k8s.io/ctrl\nlease.coordination.k8s.io/empty\n")
    }

    /// A cluster has at least one registered Node (cluster-scoped), Ready as the kubelet reports it
    /// (pkg/kubelet/nodestatus/setters.go ReadyCondition: reason KubeletReady), with capacity and
    /// allocatable; the scheduler binds pods to it (pkg/scheduler/scheduler.go bind sets spec.nodeName).
    func testOneReadyNodeThatPodsAreScheduledTo() throws {
        var (status, body) = try h.json("GET", "/api/v1/nodes")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["kind"]?.stringValue, "NodeList")
        let nodes = body["items"]?.arrayValue ?? []
        XCTAssertEqual(nodes.count, 1)
        let node = nodes.first ?? [:]
        let name = node[path: "metadata", "name"]?.stringValue ?? ""
        XCTAssertEqual(name, "kube-sim-node")
        XCTAssertNil(node[path: "metadata", "namespace"])
        let ready = node[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }
        XCTAssertEqual(ready?["status"]?.stringValue, "True")
        XCTAssertEqual(ready?["reason"]?.stringValue, "KubeletReady")
        XCTAssertNotNil(node[path: "status", "capacity", "cpu"])
        XCTAssertNotNil(node[path: "status", "allocatable", "pods"])
        XCTAssertEqual(node[path: "status", "nodeInfo", "kubeletVersion"]?.stringValue, "v1.20.15")
        (status, body) = try h.json("GET", "/api/v1/nodes/kube-sim-node")
        XCTAssertEqual(status, 200)

        (status, body) = try h.json("POST", "/api/v1/namespaces/default/pods", body: [
            "metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "nginx"]]],
        ])
        XCTAssertEqual(status, 201)
        (status, body) = try h.json("GET", "/api/v1/namespaces/default/pods/p")
        XCTAssertEqual(body[path: "spec", "nodeName"]?.stringValue, name)
        XCTAssertEqual(body[path: "status", "hostIP"]?.stringValue,
                       node[path: "status", "addresses"]?[0]?["address"]?.stringValue)

        let get = try h.kubectl("get", "nodes", "--no-headers")
        let cells = get.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        XCTAssertEqual(cells.count, 5, get.stdout)
        XCTAssertEqual(cells.first, "kube-sim-node")
        XCTAssertEqual(cells.dropFirst().first, "Ready")
        XCTAssertEqual(cells.last, "v1.20.15")
    }

    /// pkg/controller/endpoint/endpoints_controller.go syncService (v1.20): an Endpoints object named as
    /// each Service with a selector; pods with an IP that the selector matches, Ready ones under
    /// `addresses` (others under `notReadyAddresses`), each with `nodeName` and a Pod `targetRef`; ports
    /// from the Service's, `targetPort` resolved against the pod's container ports by name
    /// (pkg/api/v1/pod/util.go FindPort; a pod without the named port is left out of that port) or taken as
    /// a number; addresses with the same ports share a subset (RepackSubsets). The controller deletes the
    /// Endpoints when the Service goes; a Service without a selector gets none.
    func testEndpointsFollowServicesAndReadyPods() throws {
        func pod(_ name: String, ports: [JSONValue]) throws {
            let (status, body) = try h.json("POST", "/api/v1/namespaces/default/pods", body: [
                "metadata": ["name": .string(name), "labels": ["app": "web"]],
                "spec": ["containers": [["name": "c", "image": "nginx", "ports": .array(ports)]]],
            ])
            XCTAssertEqual(status, 201, body.jsonString())
        }
        var (status, body) = try h.json("POST", "/api/v1/namespaces/default/services", body: [
            "metadata": ["name": "web", "labels": ["tier": "front"]],
            "spec": ["selector": ["app": "web"], "ports": [
                ["name": "http", "port": 80, "targetPort": "web"],
                ["name": "metrics", "port": 9090, "targetPort": 9091],
            ]],
        ])
        XCTAssertEqual(status, 201, body.jsonString())
        (status, body) = try h.json("POST", "/api/v1/namespaces/default/services", body: [
            "metadata": ["name": "manual"], "spec": ["ports": [["port": 80]]],
        ])
        XCTAssertEqual(status, 201)
        (status, body) = try h.json("GET", "/api/v1/namespaces/default/endpoints/web")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body[path: "metadata", "labels", "tier"]?.stringValue, "front")
        XCTAssertNil(body["subsets"], "no pods yet: no subsets")
        (status, _) = try h.json("GET", "/api/v1/namespaces/default/endpoints/manual")
        XCTAssertEqual(status, 404)

        try pod("a", ports: [["name": "web", "containerPort": 8080]])
        try pod("b", ports: [])
        var subsets: [JSONValue] = []
        eventually("both pods ready in the Endpoints") {
            subsets = (try? h.json("GET", "/api/v1/namespaces/default/endpoints/web"))?.1["subsets"]?.arrayValue ?? []
            return subsets.reduce(0) { $0 + ($1["addresses"]?.arrayValue?.count ?? 0) } == 3
        }
        let (_, a) = try h.json("GET", "/api/v1/namespaces/default/pods/a")
        let (_, b) = try h.json("GET", "/api/v1/namespaces/default/pods/b")
        let ipA = a[path: "status", "podIP"]?.stringValue ?? "", ipB = b[path: "status", "podIP"]?.stringValue ?? ""
        // Pod a serves both ports, pod b only the numeric one: a subset per set of addresses.
        func subset(_ port: String, in subsets: [JSONValue]) -> JSONValue? {
            subsets.first { $0["ports"]?[0]?["name"]?.stringValue == port }
        }
        func ips(_ s: JSONValue?, _ key: String = "addresses") -> [String] { s?[key]?.arrayValue?.compactMap { $0["ip"]?.stringValue } ?? [] }
        XCTAssertEqual(subsets.count, 2)
        let http = subset("http", in: subsets)
        XCTAssertEqual(ips(http), [ipA])
        XCTAssertEqual(http?["ports"], [["name": "http", "port": 8080, "protocol": "TCP"]])
        XCTAssertEqual(http?["addresses"]?[0]?["nodeName"]?.stringValue, "kube-sim-node")
        XCTAssertEqual(http?["addresses"]?[0]?[path: "targetRef", "kind"]?.stringValue, "Pod")
        XCTAssertEqual(http?["addresses"]?[0]?[path: "targetRef", "name"]?.stringValue, "a")
        let metrics = subset("metrics", in: subsets)
        XCTAssertEqual(ips(metrics), [ipA, ipB].sorted())
        XCTAssertEqual(metrics?["ports"], [["name": "metrics", "port": 9091, "protocol": "TCP"]])

        // A pod that stops being ready moves to notReadyAddresses.
        var notReady = b
        notReady["status"]?["conditions"] = [["type": "Ready", "status": "False"]]
        (status, body) = try h.json("PUT", "/api/v1/namespaces/default/pods/b/status", body: notReady)
        XCTAssertEqual(status, 200, body.jsonString())
        (_, body) = try h.json("GET", "/api/v1/namespaces/default/endpoints/web")
        let moved = subset("metrics", in: body["subsets"]?.arrayValue ?? [])
        XCTAssertEqual(ips(moved), [ipA])
        XCTAssertEqual(ips(moved, "notReadyAddresses"), [ipB])

        let get = try h.kubectl("get", "endpoints", "web", "--no-headers")
        XCTAssertTrue(get.stdout.hasPrefix("web"), get.stdout)
        XCTAssertTrue(get.stdout.contains("\(ipA):8080"), get.stdout)

        (status, _) = try h.json("DELETE", "/api/v1/namespaces/default/services/web")
        XCTAssertEqual(status, 200)
        (status, _) = try h.json("GET", "/api/v1/namespaces/default/endpoints/web")
        XCTAssertEqual(status, 404)
    }

    /// StatefulSets and DaemonSets (apps/v1) and Jobs (batch/v1) are stored with 1.20's defaults
    /// (pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go; a Job's selector generated from its
    /// uid by pkg/registry/batch/job/strategy.go generateSelector) and validated as
    /// pkg/apis/apps/validation/validation.go and pkg/apis/batch/validation/validation.go do; no controller
    /// acts on them here.
    func testWorkloadKindsStoredAndValidated() throws {
        let template: JSONValue = ["metadata": ["labels": ["app": "x"]], "spec": ["containers": [["name": "c", "image": "nginx"]]]]
        var (status, body) = try h.json("POST", "/apis/apps/v1/namespaces/default/statefulsets", body: [
            "metadata": ["name": "db"], "spec": ["serviceName": "db", "selector": ["matchLabels": ["app": "x"]], "template": template],
        ])
        XCTAssertEqual(status, 201, body.jsonString())
        XCTAssertEqual(body[path: "spec", "podManagementPolicy"]?.stringValue, "OrderedReady")
        XCTAssertEqual(body[path: "spec", "updateStrategy"], ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
        XCTAssertEqual(body[path: "spec", "replicas"]?.intValue, 1)
        var sts = body
        sts["spec"]?["serviceName"] = "other"
        (status, body) = try h.json("PUT", "/apis/apps/v1/namespaces/default/statefulsets/db", body: sts)
        XCTAssertEqual(status, 422)
        XCTAssertEqual(body[path: "details", "causes"]?[0]?["message"]?.stringValue,
                       "Forbidden: updates to statefulset spec for fields other than 'replicas', 'template', and 'updateStrategy' are forbidden")

        (status, body) = try h.json("POST", "/apis/apps/v1/namespaces/default/daemonsets", body: [
            "metadata": ["name": "agent"], "spec": ["selector": ["matchLabels": ["app": "y"]], "template": template],
        ])
        XCTAssertEqual(status, 422)
        XCTAssertEqual(body["message"]?.stringValue,
                       "DaemonSet.apps \"agent\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`")
        (status, body) = try h.json("POST", "/apis/apps/v1/namespaces/default/daemonsets", body: [
            "metadata": ["name": "agent"], "spec": ["selector": ["matchLabels": ["app": "x"]], "template": template],
        ])
        XCTAssertEqual(status, 201, body.jsonString())
        XCTAssertEqual(body[path: "spec", "updateStrategy"], ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1]])

        // A Job's pod template restartPolicy defaults to Always, which a Job refuses.
        (status, body) = try h.json("POST", "/apis/batch/v1/namespaces/default/jobs", body: [
            "metadata": ["name": "once"], "spec": ["template": template],
        ])
        XCTAssertEqual(status, 422)
        XCTAssertEqual(body[path: "details", "causes"]?[0]?["message"]?.stringValue,
                       "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"")
        var jobTemplate = template
        jobTemplate["spec"]?["restartPolicy"] = "Never"
        (status, body) = try h.json("POST", "/apis/batch/v1/namespaces/default/jobs", body: [
            "metadata": ["name": "once"], "spec": ["template": jobTemplate],
        ])
        XCTAssertEqual(status, 201, body.jsonString())
        let uid = body[path: "metadata", "uid"]?.stringValue ?? ""
        XCTAssertEqual(body[path: "spec", "selector"], ["matchLabels": ["controller-uid": .string(uid)]])
        XCTAssertEqual(body[path: "spec", "template", "metadata", "labels", "job-name"]?.stringValue, "once")
        XCTAssertEqual(body[path: "spec", "backoffLimit"]?.intValue, 6)
        XCTAssertEqual(body[path: "spec", "completions"]?.intValue, 1)

        (status, body) = try h.json("GET", "/apis/batch/v1")
        XCTAssertEqual(body["resources"]?[0]?["name"]?.stringValue, "jobs")
        let get = try h.kubectl("get", "sts,ds,jobs", "-o", "name")
        XCTAssertEqual(get.stdout, "statefulset.apps/db\ndaemonset.apps/agent\njob.batch/once\n")
        // kubectl get shows 1.20's columns (pkg/printers/internalversion/printers.go).
        let stsRow = try h.kubectl("get", "sts", "db", "--no-headers").stdout.split(separator: " ", omittingEmptySubsequences: true)
        XCTAssertEqual(stsRow.prefix(2), ["db", "0/1"])
        let job = try h.kubectl("get", "job", "once", "--no-headers").stdout.split(separator: " ", omittingEmptySubsequences: true)
        XCTAssertEqual(job.prefix(2), ["once", "0/1"])
        let ds = try h.kubectl("get", "ds", "agent", "--no-headers").stdout.split(separator: " ", omittingEmptySubsequences: true)
        XCTAssertEqual(ds.prefix(7), ["agent", "0", "0", "0", "0", "0", "<none>"])
    }
}
