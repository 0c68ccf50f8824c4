import Foundation
import KubeSim
import TestSupport
import XCTest
import ObjectModel

/// Deployments make ReplicaSets and ReplicaSets make pods, as kube-controller-manager v1.20's
/// controllers do (pkg/controller/deployment/*.go, pkg/controller/replicaset/replica_set.go), judged
/// by kubectl 1.20 and 1.32 (`get rs`, `get all`, `rollout status/history/undo`, `describe`) and by
/// Helm 3.8.1's `--wait`, which read them through the API as they read a real cluster.
final class DeploymentReplicaSetTests: XCTestCase {
    var h: ClusterHarness!

    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: main
                image: nginx:1

        """

    func kubectl120(_ args: String..., stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try kubectl120(args, stdin: stdin, file: file, line: line)
    }

    func kubectl120(_ args: [String], stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try ProcessRunner.run(try Tools.kubectl120(file: file, line: line), args, stdin: stdin,
                              environment: h.environment(), in: h.dir, timeout: 120, file: file, line: line)
    }

    func replicaSets() -> [JSONValue] {
        h.sim.objects(group: "apps", version: "v1", resource: "replicasets", namespace: "default")
            .sorted { ($0[path: "metadata", "name"]?.stringValue ?? "") < ($1[path: "metadata", "name"]?.stringValue ?? "") }
    }

    func revision(_ o: JSONValue?) -> String? { o?[path: "metadata", "annotations", "deployment.kubernetes.io/revision"]?.stringValue }

    /// sync.go getNewReplicaSet: the ReplicaSet is `<deployment>-<pod-template-hash>`, the hash label on it,
    /// its selector and its template; annotations revision, desired-replicas and max-replicas
    /// (replicas + maxSurge, 25% rounded up); the Deployment its controller. replica_set.go manageReplicas:
    /// pods `<replicaset>-<suffix>` controlled by the ReplicaSet. The Deployment carries the revision too.
    func testDeploymentOwnsAReplicaSetPerTemplateThatOwnsThePods() throws {
        XCTAssertEqual(try kubectl120("apply", "-f", "-", stdin: Self.manifest).stdout, "deployment.apps/web created\n")
        let d = try XCTUnwrap(h.deployment("web", in: "default"))
        let rsList = replicaSets()
        XCTAssertEqual(rsList.count, 1)
        let rs = try XCTUnwrap(rsList.first)
        let name = try XCTUnwrap(rs[path: "metadata", "name"]?.stringValue)
        let hash = try XCTUnwrap(rs[path: "metadata", "labels", "pod-template-hash"]?.stringValue)
        XCTAssertEqual(name, "web-\(hash)")
        XCTAssertEqual(rs[path: "spec", "selector", "matchLabels"], ["app": "web", "pod-template-hash": .string(hash)])
        XCTAssertEqual(rs[path: "spec", "template", "metadata", "labels"], ["app": "web", "pod-template-hash": .string(hash)])
        XCTAssertEqual(rs[path: "spec", "replicas"]?.intValue, 2)
        XCTAssertEqual(revision(rs), "1")
        XCTAssertEqual(rs[path: "metadata", "annotations", "deployment.kubernetes.io/desired-replicas"]?.stringValue, "2")
        XCTAssertEqual(rs[path: "metadata", "annotations", "deployment.kubernetes.io/max-replicas"]?.stringValue, "3")
        XCTAssertNil(rs[path: "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"])
        XCTAssertEqual(rs[path: "metadata", "ownerReferences"], [[
            "apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": d[path: "metadata", "uid"] ?? "",
            "controller": true, "blockOwnerDeletion": true,
        ]])
        let pods = h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "default")
        XCTAssertEqual(pods.count, 2)
        for p in pods {
            XCTAssertTrue((p[path: "metadata", "name"]?.stringValue ?? "").hasPrefix("\(name)-"))
            XCTAssertEqual(p[path: "metadata", "labels", "pod-template-hash"]?.stringValue, hash)
            XCTAssertEqual(p[path: "metadata", "ownerReferences"]?[0]?["uid"], rs[path: "metadata", "uid"])
            XCTAssertEqual(p[path: "metadata", "ownerReferences"]?[0]?["kind"], "ReplicaSet")
        }
        eventually("revision 1 on the Deployment, its ReplicaSet ready") {
            revision(h.deployment("web", in: "default")) == "1" && replicaSets().first?[path: "status", "readyReplicas"]?.intValue == 2
        }
        let status = replicaSets().first?["status"]
        XCTAssertEqual(status?["replicas"]?.intValue, 2)
        XCTAssertEqual(status?["fullyLabeledReplicas"]?.intValue, 2)
        XCTAssertEqual(status?["availableReplicas"]?.intValue, 2)
        XCTAssertEqual(status?["observedGeneration"]?.intValue, 1)
    }

    /// kubectl 1.20 and 1.32 against a rollout: `rollout status` waits on the Deployment's status
    /// (kubectl/pkg/polymorphichelpers/rollout_status.go), `rollout history` lists the revisions of the
    /// ReplicaSets the Deployment controls (history.go, deploymentutil.GetAllReplicaSets), `rollout undo`
    /// patches the previous ReplicaSet's template back (rollback.go), and the controller then scales that
    /// ReplicaSet up again under the next revision, the old number kept in `revision-history`
    /// (sync.go getNewReplicaSet, deployment_util.go SetNewReplicaSetAnnotations), the other one down.
    func testRolloutHistoryUndoAndDescribeWithKubectl120And132() throws {
        var out = try kubectl120("apply", "-f", "-", stdin: Self.manifest)
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try kubectl120("rollout", "status", "deployment/web", "--timeout=60s")
        XCTAssertTrue(out.stdout.hasSuffix("deployment \"web\" successfully rolled out\n"), out.stdout + out.stderr)
        let first = try XCTUnwrap(replicaSets().first?[path: "metadata", "name"]?.stringValue)
        out = try kubectl120("set", "image", "deployment/web", "main=nginx:2")
        XCTAssertEqual(out.stdout, "deployment.apps/web image updated\n", out.stderr)
        out = try kubectl120("rollout", "status", "deployment/web", "--timeout=60s")
        XCTAssertTrue(out.stdout.hasSuffix("deployment \"web\" successfully rolled out\n"), out.stdout + out.stderr)
        let second = try XCTUnwrap(replicaSets().first { $0[path: "metadata", "name"]?.stringValue != first }?[path: "metadata", "name"]?.stringValue)
        eventually("the first ReplicaSet scaled to 0") {
            replicaSets().first { $0[path: "metadata", "name"]?.stringValue == first }?[path: "status", "replicas"]?.intValue == 0
        }

        out = try kubectl120("rollout", "history", "deployment/web")
        XCTAssertEqual(out.stdout, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n", out.stderr)
        out = try kubectl120("get", "rs")
        XCTAssertTrue(out.stdout.hasPrefix("NAME          DESIRED   CURRENT   READY   AGE\n"), out.stdout)
        XCTAssertTrue(out.stdout.contains("\n\(first)   0         0         0       "), out.stdout)
        XCTAssertTrue(out.stdout.contains("\n\(second)   2         2         2       "), out.stdout)
        let clients: [([String]) throws -> ProcessResult] = [{ try self.kubectl120($0) }, { try self.h.kubectl($0) }]
        for kubectl in clients {
            out = try kubectl(["get", "all"])
            XCTAssertTrue(out.stdout.contains("replicaset.apps/\(second)   2         2         2       "), out.stdout)
            XCTAssertTrue(out.stdout.contains("deployment.apps/web   2/2     2            2           "), out.stdout)
            out = try kubectl(["describe", "deployment", "web"])
            XCTAssertTrue(out.stdout.contains("NewReplicaSet:   \(second) (2/2 replicas created)\n"), out.stdout)
            // kubectl 1.20 lists every old ReplicaSet; later ones only those that still have pods.
            XCTAssertTrue(out.stdout.contains("OldReplicaSets:  \(first) (0/0 replicas created)\n")
                          || out.stdout.contains("OldReplicaSets:  <none>\n"), out.stdout)
            XCTAssertTrue(out.stdout.contains("Normal  ScalingReplicaSet  "), out.stdout)
            XCTAssertTrue(out.stdout.contains("deployment-controller  Scaled up replica set \(second) to 2\n"), out.stdout)
        }

        out = try kubectl120("rollout", "undo", "deployment/web")
        XCTAssertEqual(out.stdout, "deployment.apps/web rolled back\n", out.stderr)
        out = try kubectl120("rollout", "status", "deployment/web", "--timeout=60s")
        XCTAssertTrue(out.stdout.hasSuffix("deployment \"web\" successfully rolled out\n"), out.stdout + out.stderr)
        eventually("the second ReplicaSet scaled to 0") {
            replicaSets().first { $0[path: "metadata", "name"]?.stringValue == second }?[path: "status", "replicas"]?.intValue == 0
        }
        // No third ReplicaSet: the first one's template is back, under revision 3.
        XCTAssertEqual(replicaSets().count, 2)
        let back = try XCTUnwrap(replicaSets().first { $0[path: "metadata", "name"]?.stringValue == first })
        XCTAssertEqual(revision(back), "3")
        XCTAssertEqual(back[path: "metadata", "annotations", "deployment.kubernetes.io/revision-history"]?.stringValue, "1")
        XCTAssertEqual(back[path: "spec", "replicas"]?.intValue, 2)
        XCTAssertEqual(revision(h.deployment("web", in: "default")), "3")
        for out in [try kubectl120("rollout", "history", "deployment/web"), try h.kubectl("rollout", "history", "deployment/web")] {
            XCTAssertEqual(out.stdout, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n", out.stderr)
        }
        out = try h.kubectl("rollout", "history", "deployment/web", "--revision=3")
        XCTAssertTrue(out.stdout.contains("Image:\tnginx:1"), out.stdout)
        XCTAssertEqual(h.deployment("web", in: "default")?[path: "spec", "template", "spec", "containers"]?[0]?["image"], "nginx:1")
    }

    /// rolling.go rolloutRolling: with 4 replicas and the default 25%/25%, the ReplicaSets never ask for more
    /// than 5 pods (maxSurge 1) and never have fewer than 3 available (maxUnavailable 1); the new one grows
    /// a pod at a time as pods turn ready, and `rollout status` reports those steps.
    func testRollingUpdateStaysWithinMaxSurgeAndMaxUnavailable() throws {
        h = try ClusterHarness { $0.readyAfter = 0.3 }
        XCTAssertEqual(try h.kubectl("apply", "-f", "-", stdin: Self.manifest.replacingOccurrences(of: "replicas: 2", with: "replicas: 4")).status, 0)
        XCTAssertEqual(try h.kubectl("rollout", "status", "deployment/web", "--timeout=60s").status, 0)
        XCTAssertEqual(try h.kubectl("set", "image", "deployment/web", "main=nginx:2").status, 0)
        var maxWanted = 0, minAvailable = 4, newSizes = Set<Int>()
        eventually("rolled out") {
            let all = replicaSets()
            maxWanted = max(maxWanted, all.reduce(0) { $0 + ($1[path: "spec", "replicas"]?.intValue ?? 0) })
            minAvailable = min(minAvailable, all.reduce(0) { $0 + ($1[path: "status", "availableReplicas"]?.intValue ?? 0) })
            let new = all.first { $0[path: "spec", "template", "spec", "containers"]?[0]?["image"] == "nginx:2" }
            if let n = new?[path: "spec", "replicas"]?.intValue { newSizes.insert(n) }
            return new?[path: "status", "availableReplicas"]?.intValue == 4 && all.count == 2
                && all.allSatisfy { $0 == new || $0[path: "status", "replicas"]?.intValue == 0 }
        }
        XCTAssertLessThanOrEqual(maxWanted, 5)
        XCTAssertGreaterThanOrEqual(minAvailable, 3)
        XCTAssertTrue(newSizes.contains(1), "\(newSizes)")
    }

    /// kubectl 1.20's `--cascade=false` deletes with propagationPolicy Orphan: the ReplicaSet and its pods
    /// stay, without their owner; a Deployment that matches them again adopts that ReplicaSet
    /// (controller_ref_manager.go ClaimReplicaSets) instead of making pods anew.
    func testOrphanedReplicaSetIsAdoptedByTheNextDeployment() throws {
        XCTAssertEqual(try kubectl120("apply", "-f", "-", stdin: Self.manifest).status, 0)
        eventually("ready") { h.deployment("web", in: "default")?[path: "status", "readyReplicas"]?.intValue == 2 }
        let podNames = Set(h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "default").compactMap { $0[path: "metadata", "name"]?.stringValue })
        var out = try kubectl120("delete", "deployment", "web", "--cascade=false")
        XCTAssertEqual(out.stdout, "deployment.apps \"web\" deleted\n", out.stderr)
        XCTAssertEqual(replicaSets().count, 1)
        XCTAssertNil(replicaSets().first?[path: "metadata", "ownerReferences"])
        out = try kubectl120("apply", "-f", "-", stdin: Self.manifest)
        XCTAssertEqual(out.stdout, "deployment.apps/web created\n", out.stderr)
        eventually("ready again") { h.deployment("web", in: "default")?[path: "status", "readyReplicas"]?.intValue == 2 }
        XCTAssertEqual(replicaSets().count, 1)
        XCTAssertEqual(replicaSets().first?[path: "metadata", "ownerReferences"]?[0]?["uid"], h.deployment("web", in: "default")?[path: "metadata", "uid"])
        XCTAssertEqual(revision(h.deployment("web", in: "default")), "1")
        let now = Set(h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "default").compactMap { $0[path: "metadata", "name"]?.stringValue })
        XCTAssertEqual(now, podNames)
    }

    /// sync.go cleanupDeployment: old ReplicaSets with no pods beyond spec.revisionHistoryLimit are deleted,
    /// oldest revision first.
    func testOldReplicaSetsBeyondRevisionHistoryLimitGo() throws {
        XCTAssertEqual(try h.kubectl("apply", "-f", "-", stdin: Self.manifest.replacingOccurrences(of: "replicas: 2", with: "replicas: 1\n  revisionHistoryLimit: 1")).status, 0)
        for tag in ["2", "3", "4"] {
            XCTAssertEqual(try h.kubectl("set", "image", "deployment/web", "main=nginx:\(tag)").status, 0)
            XCTAssertEqual(try h.kubectl("rollout", "status", "deployment/web", "--timeout=60s").status, 0)
        }
        eventually("two ReplicaSets left: revisions 3 and 4") {
            Set(replicaSets().compactMap { revision($0) }) == ["3", "4"]
        }
        XCTAssertEqual(replicaSets().first { revision($0) == "4" }?[path: "spec", "template", "spec", "containers"]?[0]?["image"], "nginx:4")
    }

    /// ReplicaSets of their own: apps/v1 `replicasets` with the scale subresource
    /// (pkg/registry/apps/replicaset/storage/storage.go ScaleREST), a deleted pod replaced, pods
    /// collected with the ReplicaSet.
    func testReplicaSetScalesReplacesPodsAndIsCollected() throws {
        let rs = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: solo, namespace: default}
            spec:
              replicas: 2
              selector: {matchLabels: {app: solo}}
              template:
                metadata: {labels: {app: solo}}
                spec: {containers: [{name: main, image: nginx}]}

            """
        var out = try kubectl120("apply", "-f", "-", stdin: rs)
        XCTAssertEqual(out.stdout, "replicaset.apps/solo created\n", out.stderr)
        out = try h.kubectl("scale", "rs", "solo", "--replicas=3")
        XCTAssertEqual(out.stdout, "replicaset.apps/solo scaled\n", out.stderr)
        func pods() -> [String] {
            h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "default").compactMap { $0[path: "metadata", "name"]?.stringValue }
        }
        XCTAssertEqual(pods().count, 3)
        XCTAssertTrue(pods().allSatisfy { $0.hasPrefix("solo-") })
        let victim = try XCTUnwrap(pods().first)
        XCTAssertEqual(try h.kubectl("delete", "pod", victim, "--grace-period=0", "--force").status, 0)
        eventually("a replacement pod") { pods().count == 3 && !pods().contains(victim) }
        out = try h.kubectl("get", "--raw", "/apis/apps/v1/namespaces/default/replicasets/solo/scale")
        let scale = try JSONValue(parsing: out.stdout)
        XCTAssertEqual(scale["kind"], "Scale")
        XCTAssertEqual(scale[path: "spec", "replicas"]?.intValue, 3)
        XCTAssertEqual(scale[path: "status", "selector"]?.stringValue, "app=solo")
        XCTAssertEqual(try h.kubectl("delete", "rs", "solo").status, 0)
        eventually("pods collected") { pods().isEmpty }
    }

    /// Helm 3.8.1's `--wait` (pkg/kube/ready.go deploymentReady) looks up the Deployment's new
    /// ReplicaSet (deploymentutil.GetNewReplicaSet) and waits for its ready replicas; without one it
    /// waits forever.
    func testHelmInstallWaitOfAChartWithADeploymentFinishes() throws {
        let chart = h.file("chart")
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: shop\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
        try Self.manifest.replacingOccurrences(of: "nginx:1", with: "nginx:{{ .Values.tag | default \"1\" }}")
            .write(toFile: chart + "/templates/web.yaml", atomically: true, encoding: .utf8)
        var out = try h.helm(["install", "shop", chart, "--wait", "--timeout", "60s"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("STATUS: deployed"), out.stdout)
        XCTAssertEqual(h.deployment("web", in: "default")?[path: "status", "readyReplicas"]?.intValue, 2)
        out = try h.helm(["upgrade", "shop", chart, "--set", "tag=2", "--wait", "--timeout", "60s"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let d = h.deployment("web", in: "default")
        XCTAssertEqual(revision(d), "2")
        XCTAssertEqual(d?[path: "status", "updatedReplicas"]?.intValue, 2)
        out = try h.helm(["rollback", "shop", "1", "--wait", "--timeout", "60s"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(revision(h.deployment("web", in: "default")), "3")
    }
}
