import KubeClient
import ObjectModel

/// `osm namespace ignore`: keep namespaces out of sidecar injection.
package struct NamespaceIgnore: Sendable {
    package var namespaces: [String]

    /// namespace_ignore.go trims each name (`strings.TrimSpace`) before it uses or prints it.
    package init(namespaces: [String]) { self.namespaces = namespaces.map(\.trimmingWhitespace) }

    /// One line per namespace, in order: success message or failure message.
    package func run(client: any KubeAPI) throws -> [(namespace: String, result: Swift.Result<String, OSMError>)] {
        for ns in namespaces {
            if let problem = KubernetesNames.namespaceProblem(ns) {
                throw OSMError(.invalidInput, "Failed to retrieve namespace [\(ns)]: \(problem)")
            }
        }
        let names = namespaces
        let patch: JSONValue = ["metadata": ["labels": [MeshConstants.ignoreLabel: "true"]]]
        var requests: [KubeRequest] = []
        for n in names { requests.append(try client.patchRequest(.namespaces, name: n, patch, type: .merge)) }
        // A merge patch on a missing namespace is a 404, so the patch is also the existence check.
        return client.send(requests).enumerated().map { i, r -> (namespace: String, result: Swift.Result<String, OSMError>) in
            switch r {
            case .success: return (names[i], .success("Successfully configured namespace [\(names[i])] to be ignored"))
            case .failure(let error) where error.kind == .notFound:
                return (names[i], .failure(OSMError("Failed to retrieve namespace [\(names[i])]: \(error.message)", cause: error)))
            case .failure(let error):
                return (names[i], .failure(OSMError("Failed to configure namespace [\(names[i])] to be ignored: \(error.message)", cause: error)))
            }
        }
    }
}
