import XCTest
import ObjectModel

@testable import MeshControl

/// Properties every rendering must have, and the chart's value-driven branches.
final class ChartRenderTests: XCTestCase {
    func render(namespace: String = "osm-system", _ configure: (inout InstallValues) -> Void = { _ in }) throws -> [JSONValue] {
        var v = InstallValues()
        configure(&v)
        return try ControlPlaneManifest.render(values: v.chartValues(), namespace: namespace)
    }

    func object(_ objects: [JSONValue], _ kind: String, _ name: String) throws -> JSONValue {
        try XCTUnwrap(
            objects.first { $0["kind"]?.stringValue == kind && $0[path: "metadata", "name"]?.stringValue == name },
            "no \(kind) \(name)")
    }

    static let clusterScopedKinds: Set<String> = [
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "Namespace",
    ]

    /// Every object is well formed enough for `kubectl apply`: identity, namespaces where they
    /// belong, string labels that are valid label values, and the chart's common labels.
    func testEveryObjectIsWellFormed() throws {
        let everything = try render(namespace: "mesh-ns") {
            $0.deployPrometheus = true
            $0.deployGrafana = true
            $0.deployJaeger = true
            $0.enableFluentbit = true
            $0.enforceSingleMesh = true
            $0.containerRegistrySecret = "creds"
            $0.sets = ["OpenServiceMesh.fluentBit.enableProxySupport=true,OpenServiceMesh.grafana.enableRemoteRendering=true"]
        }
        var seen = Set<String>()
        for o in everything {
            let kind = try XCTUnwrap(o["kind"]?.stringValue)
            let name = try XCTUnwrap(o[path: "metadata", "name"]?.stringValue)
            XCTAssertNotNil(o["apiVersion"]?.stringValue, "\(kind) \(name)")
            XCTAssertTrue(seen.insert("\(kind)/\(name)").inserted, "duplicate \(kind) \(name)")
            if Self.clusterScopedKinds.contains(kind) {
                XCTAssertNil(o[path: "metadata", "namespace"], "\(kind) \(name)")
            } else {
                XCTAssertEqual(o[path: "metadata", "namespace"], "mesh-ns", "\(kind) \(name)")
            }
            if kind == "CustomResourceDefinition" { continue }
            let labels = try XCTUnwrap(o[path: "metadata", "labels"]?.objectValue, "\(kind) \(name)")
            for (key, value) in labels {
                let text = try XCTUnwrap(value.stringValue, "label \(key) of \(kind) \(name) is not a string")
                XCTAssertTrue(KubernetesNames.isLabelValue(text), "label \(key)=\(text)")
            }
            XCTAssertEqual(labels["app.kubernetes.io/name"], "openservicemesh.io")
            XCTAssertEqual(labels["app.kubernetes.io/instance"], "osm")
            XCTAssertEqual(labels["app.kubernetes.io/version"], "v0.8.4")
            if kind == "Deployment" {
                let selector = try XCTUnwrap(o[path: "spec", "selector", "matchLabels"]?.objectValue)
                let podLabels = try XCTUnwrap(o[path: "spec", "template", "metadata", "labels"]?.objectValue)
                for (k, v) in selector { XCTAssertEqual(podLabels[k], v, "selector of \(name) must match its pods") }
                for container in o[path: "spec", "template", "spec", "containers"]?.arrayValue ?? [] {
                    XCTAssertNotNil(container["name"]?.stringValue)
                    XCTAssertNotNil(container["image"]?.stringValue)
                }
            }
        }
    }

    func testCreationOrder() throws {
        let kinds = try render { $0.deployPrometheus = true; $0.deployGrafana = true; $0.deployJaeger = true }
            .compactMap { $0["kind"]?.stringValue }
        let order = [
            "CustomResourceDefinition", "ServiceAccount", "Secret", "ConfigMap", "ClusterRole", "ClusterRoleBinding",
            "Service", "Deployment", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        ]
        let ranks = kinds.map { try? XCTUnwrap(order.firstIndex(of: $0)) }
        XCTAssertEqual(ranks, ranks.sorted { ($0 ?? 99) < ($1 ?? 99) })
        XCTAssertEqual(kinds.prefix(5).allSatisfy { $0 == "CustomResourceDefinition" }, true)
    }

    func testDefaultObjectSet() throws {
        let names = try render().map { "\($0["kind"]!.stringValue!)/\($0[path: "metadata", "name"]!.stringValue!)" }
        XCTAssertEqual(
            names,
            [
                "CustomResourceDefinition/traffictargets.access.smi-spec.io",
                "CustomResourceDefinition/httproutegroups.specs.smi-spec.io",
                "CustomResourceDefinition/tcproutes.specs.smi-spec.io",
                "CustomResourceDefinition/udproutes.specs.smi-spec.io",
                "CustomResourceDefinition/trafficsplits.split.smi-spec.io",
                "ServiceAccount/osm", "ConfigMap/osm-config", "ClusterRole/osm", "ClusterRoleBinding/osm",
                "Service/osm-injector", "Service/osm-controller", "Service/osm-config-validator",
                "Deployment/osm-controller", "Deployment/osm-injector",
                "MutatingWebhookConfiguration/osm-webhook-osm", "ValidatingWebhookConfiguration/osm-webhook-osm",
            ])
    }

    func testWebhooksLeaveCABundleToTheControlPlane() throws {
        for o in try render() where o["kind"]?.stringValue?.hasSuffix("WebhookConfiguration") == true {
            XCTAssertNil(o[path: "webhooks"]?[0]?[path: "clientConfig", "caBundle"])
        }
    }

    func testEgressFlagReachesOSMConfig() throws {
        XCTAssertEqual(try object(render(), "ConfigMap", "osm-config")[path: "data", "egress"], "false")
        XCTAssertEqual(
            try object(render { $0.enableEgress = true }, "ConfigMap", "osm-config")[path: "data", "egress"], "true")
    }

    func testTracingAddressOverrideAndExtAuthz() throws {
        let data = try object(
            render {
                $0.sets = [
                    "OpenServiceMesh.tracing.enable=true,OpenServiceMesh.tracing.address=zipkin.tracing,OpenServiceMesh.tracing.port=9412",
                    "OpenServiceMesh.inbound_extauthz.enable=true,OpenServiceMesh.inbound_extauthz.address=authz.ns,OpenServiceMesh.inbound_extauthz.port=9000",
                ]
            }, "ConfigMap", "osm-config")["data"]
        XCTAssertEqual(data?["tracing_address"], "zipkin.tracing")
        XCTAssertEqual(data?["tracing_port"], "9412")
        XCTAssertEqual(data?["inbound_extauthz_address"], "authz.ns")
        XCTAssertEqual(data?["inbound_extauthz_port"], "9000")
        XCTAssertEqual(data?["inbound_extauthz_timeout"], "1s")
        XCTAssertEqual(data?["inbound_extauthz_failuremodeallow"], "false")
    }

    func testOSMNamespaceValueOverridesTheReleaseNamespace() throws {
        let objects = try render(namespace: "osm-system") { $0.sets = ["OpenServiceMesh.osmNamespace=elsewhere"] }
        XCTAssertEqual(try object(objects, "ConfigMap", "osm-config")[path: "metadata", "namespace"], "elsewhere")
        XCTAssertEqual(
            try object(objects, "ValidatingWebhookConfiguration", "osm-webhook-osm")[path: "webhooks"]?[0]?[
                path: "namespaceSelector", "matchLabels", "name"],
            "elsewhere")
    }

    func testPodLabelsReplicasAndWASM() throws {
        let objects = try render {
            $0.sets = [
                "OpenServiceMesh.osmcontroller.podLabels.team=mesh,OpenServiceMesh.osmcontroller.podLabels.cost=a1",
                "OpenServiceMesh.replicaCount=3,OpenServiceMesh.injector.replicaCount=2",
                "OpenServiceMesh.enableWASMStatsExperimental=true",
            ]
        }
        let controller = try object(objects, "Deployment", "osm-controller")
        XCTAssertEqual(controller[path: "spec", "replicas"], 3)
        XCTAssertEqual(try object(objects, "Deployment", "osm-injector")[path: "spec", "replicas"], 2)
        let labels = try XCTUnwrap(controller[path: "spec", "template", "metadata", "labels"]?.objectValue)
        XCTAssertEqual(Array(labels.keys.suffix(3)), ["app", "cost", "team"])
        let args = controller[path: "spec", "template", "spec", "containers"]?[0]?["args"]?.arrayValue
        XCTAssertEqual(args?.last, "--stats-wasm-experimental")
    }

    func testFluentBitAzureOutput() throws {
        let conf = try object(
            render {
                $0.enableFluentbit = true
                $0.sets = ["OpenServiceMesh.fluentBit.outputPlugin=Azure,OpenServiceMesh.fluentBit.workspaceId=ws,OpenServiceMesh.fluentBit.primaryKey=pk"]
            }, "ConfigMap", "fluentbit-configmap")[path: "data", "fluent-bit.conf"]?.stringValue
        XCTAssertTrue(conf?.hasSuffix("[OUTPUT]\n  Name    Azure\n  Match   *\n  Customer_ID ws\n  Shared_Key pk") == true)
    }

    func testGrafanaRemoteRendering() throws {
        let objects = try render { $0.deployGrafana = true; $0.sets = ["OpenServiceMesh.grafana.enableRemoteRendering=true"] }
        let containers = try object(objects, "Deployment", "osm-grafana")[path: "spec", "template", "spec", "containers"]
        XCTAssertEqual(containers?.arrayValue?.count, 2)
        XCTAssertEqual(try object(objects, "Service", "osm-grafana")[path: "spec", "ports"]?.arrayValue?.count, 2)
    }

    func testNamespaceObjectAndDeploymentNames() throws {
        XCTAssertEqual(
            ControlPlaneManifest.namespaceObject("osm-system"),
            ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "osm-system", "labels": ["name": "osm-system"]]])
        var v = InstallValues()
        v.deployJaeger = true
        XCTAssertEqual(
            try ControlPlaneManifest.render(values: v.chartValues(), namespace: "osm-system")
                .filter { $0["kind"]?.stringValue == "Deployment" }.compactMap { $0[path: "metadata", "name"]?.stringValue },
            ["jaeger", "osm-controller", "osm-injector"])
    }

    func testRenderRejectsValuesWithoutTheChartRoot() {
        XCTAssertThrowsError(try ControlPlaneManifest.render(values: ["x": 1], namespace: "n"))
        XCTAssertThrowsError(try ControlPlaneManifest.render(values: "text", namespace: "n"))
    }
}
