import XCTest
@testable import KubeClient

/// client-go v0.20's namespace for no override (tools/clientcmd/merged_client_builder.go
/// DeferredLoadingClientConfig.Namespace, client_config.go DirectClientConfig.Namespace and
/// inClusterClientConfig.Namespace), which upstream osm's settings.Namespace() returns for an
/// empty OSM_NAMESPACE, and "default" on any error.
final class ContextNamespaceTests: XCTestCase {
    private func inClusterOptions(_ s: Scratch, _ env: [String: String] = [:]) -> ClientOptions {
        s.write("sa/token", "t0k\n")
        s.write("sa/namespace", " pod-ns \n")
        var o = isolatedOptions(["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"].merging(env) { $1 },
                                home: s.path)
        o.inClusterRoot = s.path + "/sa"
        return o
    }

    func testContextNamespaceElseDefault() {
        let s = Scratch()
        s.write(".kube/config", kubeconfigYAML(namespace: "team-a"))
        XCTAssertEqual(ContextNamespace.resolve(isolatedOptions(home: s.path)), "team-a")
        s.write(".kube/config", kubeconfigYAML())
        XCTAssertEqual(ContextNamespace.resolve(isolatedOptions(home: s.path)), "default")
    }

    func testUnusableKubeconfigIsDefault() {
        let s = Scratch()
        // No file at all, not in a pod: client-go's empty-config error; osm says "default".
        XCTAssertEqual(ContextNamespace.resolve(isolatedOptions(home: s.path)), "default")
        // Not YAML; a current context that does not exist.
        s.write(".kube/config", "clusters: [")
        XCTAssertEqual(ContextNamespace.resolve(isolatedOptions(home: s.path)), "default")
        s.write(".kube/config", kubeconfigYAML(current: "missing", namespace: "team-a"))
        XCTAssertEqual(ContextNamespace.resolve(isolatedOptions(home: s.path)), "default")
        // --context picks another context (and its namespace).
        s.write(".kube/config", kubeconfigYAML(context: "other", current: "missing", namespace: "team-b"))
        var o = isolatedOptions(home: s.path)
        o.context = "other"
        XCTAssertEqual(ContextNamespace.resolve(o), "team-b")
    }

    func testInClusterNamespace() {
        let s = Scratch()
        // No kubeconfig in a pod: the service account's namespace file, trimmed...
        XCTAssertEqual(ContextNamespace.resolve(inClusterOptions(s)), "pod-ns")
        // ...after POD_NAMESPACE, which the downward API sets.
        XCTAssertEqual(ContextNamespace.resolve(inClusterOptions(s, ["POD_NAMESPACE": "downward"])), "downward")
        // A kubeconfig context with a namespace wins; one without falls back to the pod's.
        s.write(".kube/config", kubeconfigYAML(namespace: "team-a"))
        XCTAssertEqual(ContextNamespace.resolve(inClusterOptions(s)), "team-a")
        s.write(".kube/config", kubeconfigYAML())
        XCTAssertEqual(ContextNamespace.resolve(inClusterOptions(s)), "pod-ns")
    }
}
