import Foundation
import KubeSim
import TestSupport
import XCTest
import ObjectModel

/// `/openapi/v2`, judged by kubectl 1.20 and Helm 3.8.1, whose client-go reads it only as gnostic protobuf
/// (k8s.io/client-go/discovery/discovery_client.go v0.20, OpenAPISchema: `Accept:
/// application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, proto.Unmarshal, no JSON fallback) to
/// validate manifests on the client and to explain kinds. A real 1.20 server serves it from
/// vendor/k8s.io/kube-openapi/pkg/handler/handler.go (JSON or protobuf by Accept, 406 otherwise).
final class OpenAPIV2Tests: XCTestCase {
    var h: ClusterHarness!

    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    /// A program the Helm issue's scripts/fetch-helm.sh caches, named by an environment variable.
    func kubectl120(_ args: String..., stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try ProcessRunner.run(try Tools.kubectl120(file: file, line: line), args, stdin: stdin,
                              environment: h.environment(), in: h.dir, timeout: 120, file: file, line: line)
    }

    static let deployment = """
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
              - name: web
                image: nginx:1.19
                ports:
                - containerPort: 80
                resources:
                  limits: {cpu: 100m, memory: 64Mi}

        """

    func testServesJSONByDefaultAndRefusesWhatItCannotWrite() throws {
        for accept in [[], ["Accept: application/json"], ["Accept: text/html;q=0.5, application/json"]] {
            let r = try h.request("GET", "/openapi/v2", headers: accept)
            XCTAssertEqual(r.status, 200, r.body)
            let doc = try XCTUnwrap(r.json)
            XCTAssertEqual(doc["swagger"], "2.0")
            XCTAssertEqual(doc[path: "info", "title"], "Kubernetes")
            XCTAssertEqual(doc[path: "info", "version"], "v1.20.15")
            let spec = try XCTUnwrap(doc[path: "definitions", "io.k8s.api.apps.v1.DeploymentSpec"])
            XCTAssertEqual(spec["required"], ["selector", "template"])
            XCTAssertEqual(spec[path: "properties", "replicas", "type"], "integer")
            XCTAssertEqual(doc[path: "definitions", "io.k8s.api.apps.v1.Deployment", "x-kubernetes-group-version-kind"],
                           [["group": "apps", "kind": "Deployment", "version": "v1"]])
            XCTAssertEqual(doc[path: "definitions", "io.k8s.api.core.v1.PodSpec", "properties", "containers", "x-kubernetes-patch-merge-key"], "name")
            // Only what the refs reach: nothing of kinds kube-sim does not serve.
            XCTAssertNil(doc[path: "definitions", "io.k8s.api.batch.v1beta1.CronJob"])
            XCTAssertNotNil(doc[path: "definitions", "io.k8s.api.batch.v1.Job"])
            XCTAssertNotNil(doc[path: "definitions", "io.k8s.api.coordination.v1.Lease"])
        }
        // handler.go: no Accept clause it can write is `w.WriteHeader(406)`.
        XCTAssertEqual(try h.request("GET", "/openapi/v2", headers: ["Accept: text/html"]).status, 406)
        // The root lists it, as 1.20's does.
        XCTAssertTrue(try h.json("GET", "/").1["paths"]?.arrayValue?.contains("/openapi/v2") == true)
    }

    func testBetaDefinitionsOnlyWhereTheServerServesThem() throws {
        let old = try h.json("GET", "/openapi/v2").1
        XCTAssertNotNil(old[path: "definitions", "io.k8s.api.rbac.v1beta1.Role"])
        let new = try ClusterHarness { $0.serverVersion = "v1.22.0" }
        let doc = try new.json("GET", "/openapi/v2").1
        XCTAssertNotNil(doc[path: "definitions", "io.k8s.api.rbac.v1.Role"])
        XCTAssertNil(doc[path: "definitions", "io.k8s.api.rbac.v1beta1.Role"])
        XCTAssertEqual(doc[path: "info", "version"], "v1.22.0")
    }

    func testKubectl120ExplainsKindsFromTheProtobufDocument() throws {
        var out = try kubectl120("explain", "deployment.spec")
        XCTAssertEqual(out.status, 0, out.stderr)
        for field in ["minReadySeconds\t<integer>", "paused\t<boolean>", "progressDeadlineSeconds\t<integer>",
                      "replicas\t<integer>", "revisionHistoryLimit\t<integer>", "selector\t<Object> -required-",
                      "strategy\t<Object>", "template\t<Object> -required-"] {
            XCTAssertTrue(out.stdout.contains("   \(field)\n"), "\(field) missing from:\n\(out.stdout)")
        }
        XCTAssertTrue(out.stdout.hasPrefix("KIND:     Deployment\nVERSION:  apps/v1\n\nRESOURCE: spec <Object>\n"), out.stdout)
        out = try kubectl120("explain", "pods.spec.containers.ports")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("RESOURCE: ports <[]Object>"), out.stdout)
        XCTAssertTrue(out.stdout.contains("containerPort\t<integer> -required-"), out.stdout)
    }

    func testKubectl120ValidatesApplyCreateAndReplace() throws {
        var out = try kubectl120("apply", "-f", "-", stdin: Self.deployment)
        XCTAssertEqual(out.stdout, "deployment.apps/web created\n", out.stderr)
        out = try kubectl120("apply", "-f", "-", stdin: Self.deployment)
        XCTAssertEqual(out.stdout, "deployment.apps/web unchanged\n", out.stderr)
        out = try kubectl120("replace", "-f", "-", stdin: Self.deployment)
        XCTAssertEqual(out.stdout, "deployment.apps/web replaced\n", out.stderr)
        out = try kubectl120("create", "-f", "-", stdin: Self.deployment.replacingOccurrences(of: "name: web\n  namespace", with: "name: web2\n  namespace"))
        XCTAssertEqual(out.stdout, "deployment.apps/web2 created\n", out.stderr)
        // `kubectl diff` asks the document whether PATCH takes dryRun before sending one.
        out = try kubectl120("diff", "-f", "-", stdin: Self.deployment.replacingOccurrences(of: "replicas: 2", with: "replicas: 3"))
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stdout.contains("-  replicas: 2\n+  replicas: 3\n"), out.stdout)

        // kubectl's own validation (k8s.io/kube-openapi/pkg/util/proto/validation) refuses the typo before
        // any request; nothing is sent.
        let typo = Self.deployment.replacingOccurrences(of: "replicas: 2", with: "replcas: 2")
        for verb in ["apply", "create", "replace"] {
            out = try kubectl120(verb, "-f", "-", stdin: typo)
            XCTAssertEqual(out.status, 1)
            XCTAssertEqual(out.stderr, "error: error validating \"STDIN\": error validating data: ValidationError(Deployment.spec): unknown field \"replcas\" in io.k8s.api.apps.v1.DeploymentSpec; if you choose to ignore these errors, turn validation off with --validate=false\n")
        }
        out = try kubectl120("apply", "-f", "-", stdin: Self.deployment.replacingOccurrences(of: "replicas: 2", with: "replicas: two"))
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("ValidationError(Deployment.spec.replicas): invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got \"string\", expected \"integer\""), out.stderr)
    }

    /// CRDs publish their schemas as 1.20's staging/src/k8s.io/apiextensions-apiserver/pkg/controller/openapi/
    /// builder/builder.go does for v2: named by the reversed group; a v1beta1 CRD that keeps unknown fields
    /// (osm's SMI CRDs) publishes no properties, so kubectl refuses none.
    func testCustomResourceDefinitionsPublishTheirSchemas() throws {
        let crds = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: crontabs.stable.example.com
            spec:
              group: stable.example.com
              scope: Namespaced
              names: {plural: crontabs, singular: crontab, kind: CronTab}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        description: What to run and when.
                        properties:
                          cronSpec: {type: string, description: The schedule in cron format.}
                          port: {x-kubernetes-int-or-string: true}
                          extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
            ---
            apiVersion: apiextensions.k8s.io/v1beta1
            kind: CustomResourceDefinition
            metadata:
              name: traffictargets.access.smi-spec.io
            spec:
              group: access.smi-spec.io
              scope: Namespaced
              names: {plural: traffictargets, singular: traffictarget, kind: TrafficTarget}
              version: v1alpha2
              validation:
                openAPIV3Schema:
                  properties:
                    spec:
                      properties:
                        destination: {type: object}

            """
        var out = try kubectl120("apply", "-f", "-", stdin: crds)
        XCTAssertEqual(out.status, 0, out.stderr)
        let doc = try h.json("GET", "/openapi/v2").1
        XCTAssertEqual(doc[path: "definitions", "com.example.stable.v1.CronTab", "x-kubernetes-group-version-kind"],
                       [["group": "stable.example.com", "kind": "CronTab", "version": "v1"]])
        XCTAssertNotNil(doc[path: "definitions", "com.example.stable.v1.CronTabList"])
        XCTAssertNil(doc[path: "definitions", "io.smi-spec.access.v1alpha2.TrafficTarget", "properties"])

        out = try kubectl120("explain", "crontab.spec")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("   cronSpec\t<string>\n     The schedule in cron format.\n"), out.stdout)

        let good = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: c1, namespace: default}\nspec: {cronSpec: '* * * * *', port: 80, extra: {any: 1}}\n"
        out = try kubectl120("apply", "-f", "-", stdin: good)
        XCTAssertEqual(out.stdout, "crontab.stable.example.com/c1 created\n", out.stderr)
        out = try kubectl120("apply", "-f", "-", stdin: good.replacingOccurrences(of: "cronSpec", with: "cronSpc"))
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("ValidationError(CronTab.spec): unknown field \"cronSpc\" in com.example.stable.v1.CronTab.spec"), out.stderr)
        out = try kubectl120("apply", "-f", "-", stdin: "apiVersion: access.smi-spec.io/v1alpha2\nkind: TrafficTarget\nmetadata: {name: t, namespace: default}\nspec: {destination: {kind: x}, whatever: 1}\n")
        XCTAssertEqual(out.stdout, "traffictarget.access.smi-spec.io/t created\n", out.stderr)
    }

    /// Helm 3.8.1 validates every manifest against this document on install and upgrade (pkg/kube/client.go
    /// Build with validation on), with no flag to turn it off here.
    func testHelm381InstallsAndUpgradesWithValidation() throws {
        let helm = try Tools.helm()
        let chart = h.dir.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: chart.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try "apiVersion: v2\nname: demo\nversion: 0.1.0\n".write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        let templates = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-config
            data:
              greeting: hello
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: {{ .Release.Name }}-svc
            spec:
              selector: {app: demo}
              ports:
              - port: 80
                targetPort: 8080
            ---
            \(Self.deployment.replacingOccurrences(of: "name: web\n  namespace: default", with: "name: {{ .Release.Name }}-web"))
            """
        let file = chart.appendingPathComponent("templates/all.yaml")
        try templates.write(to: file, atomically: true, encoding: .utf8)
        // A CRD from crds/ and a resource of it among the templates, validated once the CRD is served.
        try FileManager.default.createDirectory(at: chart.appendingPathComponent("crds"), withIntermediateDirectories: true)
        try UnknownFieldTests.crd("apiextensions.k8s.io/v1", group: "stable.example.com", kind: "CronTab").jsonString()
            .write(to: chart.appendingPathComponent("crds/crontabs.json"), atomically: true, encoding: .utf8)
        try "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: '{{ .Release.Name }}-ct'}\nspec: {cronSpec: '* * * * *'}\n"
            .write(to: chart.appendingPathComponent("templates/crontab.yaml"), atomically: true, encoding: .utf8)
        func run(_ args: String...) throws -> ProcessResult {
            try ProcessRunner.run(helm, args, environment: h.environment(), in: h.dir, timeout: 120)
        }
        var out = try run("install", "demo", chart.path, "-n", "default")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("STATUS: deployed"), out.stdout)
        XCTAssertNotNil(h.deployment("demo-web", in: "default"))
        XCTAssertNotNil(h.configMap("demo-config", in: "default"))
        XCTAssertEqual(h.sim.object(group: "stable.example.com", version: "v1", resource: "crontabs", namespace: "default",
                                    name: "demo-ct")?[path: "spec", "cronSpec"], "* * * * *")

        try templates.replacingOccurrences(of: "replicas: 2", with: "replcas: 2").write(to: file, atomically: true, encoding: .utf8)
        out = try run("upgrade", "demo", chart.path, "-n", "default")
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "Error: UPGRADE FAILED: error validating \"\": error validating data: ValidationError(Deployment.spec): unknown field \"replcas\" in io.k8s.api.apps.v1.DeploymentSpec\n")
    }
}
