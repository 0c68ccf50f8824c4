import KubeClient
import YAML

/// `osm namespace ignore`: keep namespaces out of sidecar injection.
public struct NamespaceIgnore: Sendable {
    public var namespaces: [String]

    public init(namespaces: [String]) { self.namespaces = namespaces }

    /// One line per namespace, in order: success message or failure message.
    public func run(client: KubeClient) throws -> [(namespace: String, result: Swift.Result<String, OSMError>)] {
        for ns in namespaces {
            if let problem = KubernetesNames.namespaceProblem(ns) {
                throw OSMError("Failed to retrieve namespace [\(ns)]: \(problem)")
            }
        }
        let names = namespaces
        let patch: JSONValue = ["metadata": ["labels": [MeshConstants.ignoreLabel: "true"]]]
        let results = client.concurrently(names.count) { (i: Int) throws(KubeError) -> Swift.Result<String, OSMError> in
            // A merge patch on a missing namespace is a 404, so the patch is also the existence check.
            do throws(KubeError) {
                _ = try client.patch(.namespaces, name: names[i], patch, type: .merge)
                return .success("Successfully configured namespace [\(names[i])] to be ignored")
            } catch {
                if error.kind == .notFound {
                    return .failure(OSMError("Failed to retrieve namespace [\(names[i])]: \(error.message)"))
                }
                return .failure(OSMError("Failed to configure namespace [\(names[i])] to be ignored: \(error.message)"))
            }
        }
        return results.enumerated().map { i, r in
            switch r {
            case .success(let inner): return (names[i], inner)
            case .failure(let e): return (names[i], .failure(OSMError("Failed to configure namespace [\(names[i])] to be ignored: \(e.message)")))
            }
        }
    }
}
