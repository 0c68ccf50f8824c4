import KubeClient
import XCTest
import ObjectModel

/// The typed accessors read the fields the key paths read, and nil for absent or mistyped ones.
final class ObjectFieldsTests: XCTestCase {
    let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "web-1", "namespace": "shop", "resourceVersion": "42", "generation": 3,
                     "labels": ["app": "web", "osm-proxy-uuid": ""], "annotations": ["a": "b", "n": 1]],
        "spec": ["containers": [["name": "web", "image": "nginx:1"], ["name": "envoy"]]],
        "status": ["phase": "Running"],
    ]

    func testPodFields() {
        XCTAssertEqual(pod.kind, "Pod")
        XCTAssertEqual(pod.apiVersion, "v1")
        XCTAssertEqual(pod.metadata.name, "web-1")
        XCTAssertEqual(pod.metadata.namespace, "shop")
        XCTAssertEqual(pod.metadata.resourceVersion, "42")
        XCTAssertEqual(pod.metadata.generation, 3)
        XCTAssertEqual(pod.metadata.label("app"), "web")
        XCTAssertEqual(pod.metadata.label("osm-proxy-uuid"), "", "an empty label is present")
        XCTAssertNil(pod.metadata.label("missing"))
        XCTAssertEqual(pod.metadata.labels, ["app": "web", "osm-proxy-uuid": ""])
        XCTAssertEqual(pod.metadata.annotation("a"), "b")
        XCTAssertNil(pod.metadata.annotation("n"), "not a string")
        XCTAssertEqual(pod.phase, "Running")
        XCTAssertEqual(pod.podContainers.map(\.name), ["web", "envoy"])
        XCTAssertEqual(pod.podContainers.map(\.image), ["nginx:1", nil])
        XCTAssertTrue(pod.templateContainers.isEmpty)
    }

    func testWorkloadAndConfigMapFields() {
        let deployment: JSONValue = ["spec": ["replicas": 2, "template": ["spec": ["containers": [["name": "c", "image": "osm:v0.8.4"]]]]]]
        XCTAssertEqual(deployment.replicas, 2)
        XCTAssertEqual(deployment.templateContainers.first?.image, "osm:v0.8.4")
        let configMap: JSONValue = ["data": ["permissive_traffic_policy_mode": "true"]]
        XCTAssertEqual(configMap.data("permissive_traffic_policy_mode"), "true")
        XCTAssertNil(configMap.data("egress"))
        let empty: JSONValue = .null
        XCTAssertNil(empty.metadata.name)
        XCTAssertEqual(empty.metadata.labels, [:])
        XCTAssertNil(empty.phase)
    }
}
