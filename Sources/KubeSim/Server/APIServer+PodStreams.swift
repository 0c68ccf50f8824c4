import ObjectModel

extension APIServer {
    /// `pods/NAME/log`, `exec` and `attach`. The API server checks what 1.20's registry checks before
    /// it would reach a kubelet (pkg/registry/core/pod/strategy.go: LogLocation, streamLocation and
    /// validateContainer): a missing pod is 404, a wrong or missing container name 400, an unscheduled
    /// pod has empty logs and no exec. kube-sim plays the kubelet's pod states but runs no containers,
    /// so a scheduled pod then gets a 400 saying so, in the form a kubelet answers for a container
    /// it cannot serve (`container "c" in pod "p" is waiting to start: ...`), never a 404 that reads
    /// as a missing pod.
    func podStream(_ req: APIRequest, _ t: ResourceType, ns: String?, name: String, subresource: String) throws(StatusError) -> APIReply {
        // log is a GET; exec and attach are connect verbs, GET (WebSocket) or POST (SPDY).
        let methods = subresource == "log" ? ["GET"] : ["GET", "POST"]
        guard methods.contains(req.method) else { throw StatusError.methodNotAllowed(req.method) }
        let pod = try cluster.get(t, namespace: ns, name: name).value
        let container = try Self.container(req.query["container"] ?? "", of: pod, name: name)
        guard let node = pod[path: "spec", "nodeName"]?.stringValue, !node.isEmpty else {
            // LogLocation: "If pod has not been assigned a host, return an empty location" (an empty log).
            if subresource == "log" {
                return .response(status: 200, headers: [("Content-Type", "text/plain")], body: [])
            }
            throw StatusError.badRequest("pod \(name) does not have a host assigned")
        }
        let what: String
        switch subresource {
        case "log": what = "container \"\(container)\" in pod \"\(name)\" has no logs"
        case "exec": what = "cannot exec into container \"\(container)\" in pod \"\(name)\""
        default: what = "cannot attach to container \"\(container)\" in pod \"\(name)\""
        }
        throw StatusError.badRequest("\(what): kube-sim runs no containers (pods/\(subresource) is not served)")
    }

    /// validateContainer: the named container (init and ephemeral ones too), else the only one.
    private static func container(_ requested: String, of pod: JSONValue, name: String) throws(StatusError) -> String {
        func names(_ key: String) -> [String] {
            pod[path: "spec", key]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        }
        let containers = names("containers")
        if !requested.isEmpty {
            guard (containers + names("initContainers") + names("ephemeralContainers")).contains(requested) else {
                throw StatusError.badRequest("container \(requested) is not valid for pod \(name)")
            }
            return requested
        }
        switch containers.count {
        case 1: return containers[0]
        case 0: throw StatusError.badRequest("a container name must be specified for pod \(name)")
        default:
            // Go's %s of a []string: `[a b]`.
            var message = "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]"
            let inits = names("initContainers")
            if !inits.isEmpty { message += " or one of the init containers: [\(inits.joined(separator: " "))]" }
            throw StatusError.badRequest(message)
        }
    }
}
