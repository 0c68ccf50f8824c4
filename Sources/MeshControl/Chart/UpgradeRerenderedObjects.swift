import KubeClient
import ObjectModel

/// The objects other than `osm-config` and the control plane's images that upstream's
/// `mesh upgrade` moves when it re-renders the chart (`helm upgrade`). Rendering the chart
/// before and after each upgrade flag (ChartRerenderTests) finds one: the tracing port, which the
/// Jaeger of `--deploy-jaeger` listens on (its Deployment's args and containerPort, its
/// Service's port). Each object is patched to its rendered form only when the cluster's differs;
/// its read and its patches ride in `mesh upgrade`'s two round trips (reads, then writes).
struct UpgradeRerenderedObjects {
    struct Patch {
        var resource: APIResource
        var name: String
        var body: JSONValue
    }

    var patches: [Patch] = []
    var changes: [MeshUpgrade.Change] = []

    static let jaeger = "jaeger"

    /// What must be read to tell whether anything moves: the Jaeger Deployment when a tracing
    /// port is given, nothing otherwise.
    static func reads(tracingPort: Int?, client: any KubeAPI, namespace: String) throws(KubeError) -> [KubeRequest] {
        guard tracingPort != nil else { return [] }
        return [try client.getRequest(.deployments, namespace: namespace, name: jaeger)]
    }

    /// `answers` are those of `reads`, in order. A Jaeger that is not the mesh's (the chart
    /// labels its own with the mesh name) is never touched.
    init(tracingPort: Int?, meshName: String, namespace: String, answers: [Swift.Result<JSONValue, KubeError>]) throws(OSMError) {
        var deployed: JSONValue? = nil
        switch tracingPort == nil ? nil : answers.first {
        case .success(let d)?: deployed = d
        case .failure(let e)? where e.kind == .notFound: break
        case .failure(let e)?:
            throw OSMError("cannot read deployment/jaeger in namespace [\(namespace)], which --tracing-port moves: \(e.message)", cause: e)
        case nil: break
        }
        try self.init(tracingPort: tracingPort, meshName: meshName, namespace: namespace, deployed: deployed)
    }

    init(tracingPort: Int?, meshName: String, namespace: String, deployed: JSONValue?) throws(OSMError) {
        guard let port = tracingPort, let deployed,
              deployed.metadata.label("app") == Self.jaeger, deployed.metadata.label("app.kubernetes.io/instance") == meshName,
              let current = deployed.templateContainers.first(where: { $0.name == Self.jaeger })
        else { return }
        let c = try ChartContext(values: ["OpenServiceMesh": ["meshName": .string(meshName), "tracing": ["port": .int(port)]]],
                                 releaseNamespace: namespace)
        let container = JaegerObjects.deployment(c)[path: "spec", "template", "spec", "containers"]?[0] ?? .null
        let currentPorts = current.json["ports"]?.arrayValue?.compactMap { $0["containerPort"]?.intValue } ?? []
        guard current.json["args"] != container["args"] || currentPorts != [port] else { return }
        // Merge patches replace both lists whole: a strategic patch would add the new port beside
        // the old one (ports merge by port number), where the re-render leaves only the new one.
        patches = [
            Patch(resource: .deployments, name: Self.jaeger, body: ["spec": ["template": ["spec": ["containers": [container]]]]]),
            Patch(resource: .services, name: Self.jaeger, body: ["spec": ["ports": JaegerObjects.service(c)[path: "spec", "ports"] ?? .null]]),
        ]
        changes = [
            MeshUpgrade.Change(key: "deployment/jaeger and service/jaeger port", old: currentPorts.first.map(String.init), new: String(port))
        ]
    }

    func requests(client: any KubeAPI, namespace: String) throws(KubeError) -> [KubeRequest] {
        var out: [KubeRequest] = []
        for p in patches { out.append(try client.patchRequest(p.resource, namespace: namespace, name: p.name, p.body, type: .merge)) }
        return out
    }
}
