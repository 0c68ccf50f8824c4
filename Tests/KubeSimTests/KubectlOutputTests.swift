import XCTest
import ObjectModel
import TestSupport

/// What `kubectl get` prints and what `kubectl create <kind>` sends, against kube-sim.
final class KubectlOutputTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness { $0.unpullableImage = "^bad/" } }
    override func tearDown() { h = nil }

    func columns(_ out: ProcessResult) -> [String] {
        (out.stdout.split(separator: "\n").first ?? "").split(separator: " ").map(String.init)
    }

    func testGetPrintsTheServersColumns() throws {
        XCTAssertEqual(columns(try h.kubectl("get", "namespaces")), ["NAME", "STATUS", "AGE"])
        XCTAssertEqual(columns(try h.kubectl("get", "configmaps", "-A")), ["NAMESPACE", "NAME", "DATA", "AGE"])
        var out = try h.kubectl("create", "deployment", "web", "--image=nginx:1.19", "--replicas=2", "--port=80")
        XCTAssertEqual(out.stdout, "deployment.apps/web created\n", out.stderr)
        out = try h.kubectl("create", "service", "clusterip", "web", "--tcp=80:8080")
        XCTAssertEqual(out.stdout, "service/web created\n", out.stderr)
        XCTAssertEqual(columns(try h.kubectl("get", "deployments")), ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
        XCTAssertEqual(columns(try h.kubectl("get", "pods")), ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        XCTAssertEqual(columns(try h.kubectl("get", "services")), ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"])
        out = try h.kubectl("get", "service", "web", "--no-headers")
        XCTAssertTrue(out.stdout.contains("ClusterIP"), out.stdout)
        XCTAssertTrue(out.stdout.contains("80/TCP"), out.stdout)

        let d = h.sim.object(group: "apps", version: "v1", resource: "deployments", namespace: "default", name: "web")
        XCTAssertEqual(d?[path: "spec", "replicas"]?.intValue, 2)
        XCTAssertEqual(d?[path: "spec", "template", "spec", "containers"]?[0]?["image"]?.stringValue, "nginx:1.19")
        XCTAssertEqual(d?[path: "spec", "template", "spec", "containers"]?[0]?["ports"], [["containerPort": 80, "protocol": "TCP"]])
        XCTAssertEqual(d?[path: "spec", "selector", "matchLabels"], ["app": "web"])
        XCTAssertEqual(d?[path: "spec", "strategy", "type"]?.stringValue, "RollingUpdate")

        out = try h.kubectl("rollout", "status", "deployment/web", "--timeout=60s")
        XCTAssertEqual(out.status, 0, out.stderr)
        out = try h.kubectl("get", "deployment", "web", "--no-headers")
        XCTAssertEqual(out.stdout.split(separator: " ").prefix(4), ["web", "2/2", "2", "2"], out.stdout)
    }

    func testUnpullableImageShowsInPodsAndEvents() throws {
        XCTAssertEqual(try h.kubectl("create", "deployment", "broken", "--image=bad/image:1").status, 0)
        let pods = try h.kubectl("get", "pods", "--no-headers")
        XCTAssertEqual(pods.stdout.split(separator: " ").dropFirst().prefix(2), ["0/1", "ImagePullBackOff"], pods.stdout)
        let events = try h.kubectl("get", "events")
        XCTAssertTrue(events.stdout.contains("Warning"), events.stdout)
        XCTAssertTrue(events.stdout.contains("Failed to pull image \"bad/image:1\""), events.stdout)
        let wait = try h.kubectl("wait", "--for=condition=Available", "deployment/broken", "--timeout=1s")
        XCTAssertNotEqual(wait.status, 0)
        XCTAssertTrue(wait.errors.contains("timed out waiting for the condition"), wait.errors)
    }

    func testApplyCRDsAndWebhooksTwice() throws {
        let manifest = """
            apiVersion: apiextensions.k8s.io/v1beta1
            kind: CustomResourceDefinition
            metadata:
              name: trafficsplits.split.smi-spec.io
            spec:
              group: split.smi-spec.io
              scope: Namespaced
              names:
                kind: TrafficSplit
                plural: trafficsplits
                singular: trafficsplit
              versions:
              - name: v1alpha2
                served: true
                storage: true
            ---
            apiVersion: admissionregistration.k8s.io/v1beta1
            kind: MutatingWebhookConfiguration
            metadata:
              name: osm-webhook-osm
            webhooks:
            - name: osm-inject.k8s.io
              clientConfig:
                service: {name: osm-injector, namespace: osm-system, path: /mutate-pod-creation}
              failurePolicy: Fail
              rules:
              - operations: [CREATE]
                apiGroups: [""]
                apiVersions: [v1]
                resources: [pods]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: osm
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: osm}
            subjects:
            - {kind: ServiceAccount, name: osm, namespace: osm-system}
            """
        let file = h.file("crds.yaml")
        try manifest.write(toFile: file, atomically: true, encoding: .utf8)
        var out = try h.kubectl("apply", "-f", file)
        XCTAssertEqual(out.stdout, """
            customresourcedefinition.apiextensions.k8s.io/trafficsplits.split.smi-spec.io created
            mutatingwebhookconfiguration.admissionregistration.k8s.io/osm-webhook-osm created
            clusterrolebinding.rbac.authorization.k8s.io/osm created

            """, out.stderr)
        out = try h.kubectl("apply", "-f", file)
        XCTAssertEqual(out.stdout, """
            customresourcedefinition.apiextensions.k8s.io/trafficsplits.split.smi-spec.io unchanged
            mutatingwebhookconfiguration.admissionregistration.k8s.io/osm-webhook-osm unchanged
            clusterrolebinding.rbac.authorization.k8s.io/osm unchanged

            """, out.stderr)
        out = try h.kubectl("get", "crd", "trafficsplits.split.smi-spec.io", "-o", "name")
        XCTAssertEqual(out.stdout, "customresourcedefinition.apiextensions.k8s.io/trafficsplits.split.smi-spec.io\n", out.stderr)
        out = try h.kubectl("get", "mutatingwebhookconfigurations")
        XCTAssertEqual(columns(out), ["NAME", "WEBHOOKS", "AGE"])
    }

    func testScaleAndDiff() throws {
        let file = h.file("manifest.yaml")
        try KubectlConformanceTests.manifest.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try h.kubectl("apply", "-f", file).status, 0)
        var out = try h.kubectl("diff", "-f", file)
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        XCTAssertEqual(out.stdout, "")
        out = try h.kubectl("scale", "deployment", "web", "-n", "shop", "--replicas=3")
        XCTAssertEqual(out.stdout, "deployment.apps/web scaled\n", out.stderr)
        let d = h.sim.object(group: "apps", version: "v1", resource: "deployments", namespace: "shop", name: "web")
        XCTAssertEqual(d?[path: "spec", "replicas"]?.intValue, 3)
        XCTAssertEqual(h.sim.objects(group: "", version: "v1", resource: "pods", namespace: "shop").count, 3)
        out = try h.kubectl("diff", "-f", file)
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stdout.contains("-  replicas: 3"), out.stdout)
    }

    func testStandalonePodsRunOrFailToPull() throws {
        XCTAssertEqual(try h.kubectl("run", "solo", "--image=nginx").stdout, "pod/solo created\n")
        XCTAssertEqual(try h.kubectl("run", "stuck", "--image=bad/thing").stdout, "pod/stuck created\n")
        let out = try h.kubectl("wait", "--for=condition=Ready", "pod/solo", "--timeout=60s")
        XCTAssertEqual(out.stdout, "pod/solo condition met\n", out.stderr)
        let stuck = h.sim.object(group: "", version: "v1", resource: "pods", namespace: "default", name: "stuck")
        XCTAssertEqual(stuck?[path: "status", "containerStatuses"]?[0]?[path: "state", "waiting", "reason"]?.stringValue, "ImagePullBackOff")
    }
}
