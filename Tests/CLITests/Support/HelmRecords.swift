import KubeSim
import XCTest
import ObjectModel

/// What the Helm tests read back from the cluster: a release's record Secrets, and the objects
/// that carry Helm's ownership metadata.
extension ClusterHarness {
    /// The Secrets in `ns` that Helm's storage driver owns (`owner=helm`).
    func helmReleaseSecrets(_ ns: String = "osm-system") -> [JSONValue] {
        sim.objects(group: "", version: "v1", resource: "secrets", namespace: ns)
            .filter { $0[path: "metadata", "labels", "owner"] == "helm" }
    }

    /// Every object in the cluster that carries Helm's ownership label, as kind/name; each must
    /// name `release` in `ns` in its annotations.
    func helmOwned(release: String, ns: String, file: StaticString = #filePath, line: UInt = #line) -> Set<String> {
        var out = Set<String>()
        for (g, v, r, namespace) in [("", "v1", "serviceaccounts", ns), ("", "v1", "configmaps", ns), ("", "v1", "services", ns),
                                     ("", "v1", "secrets", ns), ("apps", "v1", "deployments", ns),
                                     ("rbac.authorization.k8s.io", "v1", "clusterroles", nil),
                                     ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", nil),
                                     ("admissionregistration.k8s.io", "v1beta1", "mutatingwebhookconfigurations", nil),
                                     ("admissionregistration.k8s.io", "v1beta1", "validatingwebhookconfigurations", nil),
                                     ("apiextensions.k8s.io", "v1beta1", "customresourcedefinitions", nil),
                                     ("", "v1", "namespaces", nil)] as [(String, String, String, String?)] {
            for o in sim.objects(group: g, version: v, resource: r, namespace: namespace) {
                let m = o["metadata"]
                guard m?[path: "labels", "app.kubernetes.io/managed-by"] == "Helm" else { continue }
                XCTAssertEqual(m?[path: "annotations", "meta.helm.sh/release-name"]?.stringValue, release, "\(r)", file: file, line: line)
                XCTAssertEqual(m?[path: "annotations", "meta.helm.sh/release-namespace"]?.stringValue, ns, "\(r)", file: file, line: line)
                out.insert("\(o["kind"]?.stringValue ?? r)/\(m?["name"]?.stringValue ?? "")")
            }
        }
        return out
    }
}
