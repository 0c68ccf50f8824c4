import Foundation
import KubeSim  // re-exports ObjectModel and YAMLCodec: JSONValue, YAML.parse
import XCTest

final class ConfigMapTests: XCTestCase {
    func testStartWriteKubeconfigCreateAndReadBackAConfigMap() throws {
        // Start a server on a free loopback port (TLS, HTTP/2 and HTTP/1.1, an in-memory store).
        var options = KubeSimOptions()
        options.serverVersion = "v1.20.15"
        let sim = try KubeSim(options: options)
        try sim.start()
        defer { sim.stop() }

        // A kubeconfig for the code under test (kubectl, client-go, your own client): the
        // server's URL and CA, and an admin client certificate (cluster-admin).
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kube-sim-sample-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kubeconfig = dir.appendingPathComponent("kubeconfig").path
        try sim.writeKubeconfig(to: kubeconfig)
        let config = try YAML.parse(String(contentsOfFile: kubeconfig, encoding: .utf8))
        XCTAssertEqual(config["clusters"]?[0]?[path: "cluster", "server"]?.stringValue, sim.url)
        XCTAssertTrue(sim.url.hasPrefix("https://127.0.0.1:"))

        // Seed an object straight into the store (its namespace is created with it)...
        try sim.put([
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "settings", "namespace": "demo"],
            "data": ["egress": "true"],
        ])

        // ...and read it back as a client would see it, with what the server filled in.
        let stored = try XCTUnwrap(
            sim.object(group: "", version: "v1", resource: "configmaps", namespace: "demo", name: "settings"))
        XCTAssertEqual(stored[path: "data", "egress"]?.stringValue, "true")
        XCTAssertEqual(stored["apiVersion"]?.stringValue, "v1")
        XCTAssertNotNil(stored[path: "metadata", "uid"]?.stringValue)
        XCTAssertNotNil(stored[path: "metadata", "resourceVersion"]?.stringValue)
        XCTAssertNotNil(sim.object(group: "", version: "v1", resource: "namespaces", namespace: nil, name: "demo"))
        // Listing a namespace (nil: all of them) also shows what the cluster made: kube-root-ca.crt.
        let names = sim.objects(group: "", version: "v1", resource: "configmaps", namespace: "demo")
            .compactMap { $0[path: "metadata", "name"]?.stringValue }
        XCTAssertEqual(names, ["kube-root-ca.crt", "settings"])
    }
}
