/// Where kube-sim's "pods" listen: `--forward NAMESPACE/POD:PORT=HOST:PORT` sends a pod's port
/// to a real TCP address. POD may end in `*` to match the pods a Deployment creates.
public struct PortForwardMapping: Sendable, Equatable, CustomStringConvertible {
    public var namespace: String
    /// A pod name, or a prefix followed by `*`.
    public var pod: String
    public var port: Int
    public var host: String
    public var targetPort: Int

    public init(namespace: String, pod: String, port: Int, host: String, targetPort: Int) {
        self.namespace = namespace
        self.pod = pod
        self.port = port
        self.host = host
        self.targetPort = targetPort
    }

    /// Parses `NAMESPACE/POD:PORT=HOST:PORT` (HOST may be `[::1]`).
    public init(parsing text: String) throws {
        let bad = KubeSimError("invalid --forward \"\(text)\": want NAMESPACE/POD:PORT=HOST:PORT, e.g. curl/curl-*:15000=127.0.0.1:9901")
        let halves = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard halves.count == 2, let slash = halves[0].firstIndex(of: "/"), let colon = halves[0].lastIndex(of: ":"),
              slash < colon, let hostColon = halves[1].lastIndex(of: ":") else { throw bad }
        let ns = String(halves[0][..<slash])
        let pod = String(halves[0][halves[0].index(after: slash)..<colon])
        var host = String(halves[1][..<hostColon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !ns.isEmpty, !pod.isEmpty, !host.isEmpty, !pod.dropLast().contains("*"),
              let port = Int(halves[0][halves[0].index(after: colon)...]), (1...65535).contains(port),
              let target = Int(halves[1][halves[1].index(after: hostColon)...]), (1...65535).contains(target)
        else { throw bad }
        self.init(namespace: ns, pod: pod, port: port, host: host, targetPort: target)
    }

    public func matches(namespace: String, pod name: String, port: Int) -> Bool {
        guard namespace == self.namespace, port == self.port else { return false }
        if pod.hasSuffix("*") { return name.hasPrefix(pod.dropLast()) }
        return name == pod
    }

    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(namespace)/\(pod):\(port)=\(h):\(targetPort)"
    }
}

/// Every `--forward` of one server; the first mapping that matches wins.
struct PortForwarding: Sendable {
    let mappings: [PortForwardMapping]

    func address(namespace: String, pod: String, port: Int) -> (host: String, port: Int)? {
        mappings.first { $0.matches(namespace: namespace, pod: pod, port: port) }.map { ($0.host, $0.targetPort) }
    }
}
