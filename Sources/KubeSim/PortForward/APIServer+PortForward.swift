import ObjectModel

extension APIServer {
    /// `pods/NAME/portforward`: checks what a real API server checks before it hands the
    /// connection to the kubelet (method, the pod, the ports). The connection handler answers a
    /// request that did not ask for a WebSocket upgrade with 400.
    func portForward(_ req: APIRequest, _ t: ResourceType, ns: String?, name: String) throws(StatusError) -> APIReply {
        guard req.method == "GET" || req.method == "POST" else { throw StatusError.methodNotAllowed(req.method) }
        let pod = try cluster.get(t, namespace: ns, name: name)
        var ports: [Int] = []
        for pair in req.rawQuery.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, APIRequest.percentDecode(String(kv[0]), plus: true) == "ports" else { continue }
            for p in APIRequest.percentDecode(String(kv[1]), plus: true).split(separator: ",") {
                guard let n = Int(p.trimmingWhitespace), (1...65535).contains(n) else {
                    throw StatusError.badRequest("invalid port \"\(p)\": must be a number between 1 and 65535")
                }
                ports.append(n)
            }
        }
        guard !ports.isEmpty else { throw StatusError.badRequest("query parameter \"ports\" is required") }
        if pod.value[path: "status", "phase"]?.stringValue != "Running" {
            throw StatusError.badRequest("pod \(name) is not running: its phase is \(pod.value[path: "status", "phase"]?.stringValue ?? "unknown")")
        }
        return .portForward(PortForwardTarget(
            namespace: ns ?? "", pod: name, uid: pod.value[path: "metadata", "uid"]?.stringValue ?? "", ports: ports))
    }
}
