/// A pod's ports that a `pods/portforward` request asked for, once the API has accepted it.
struct PortForwardTarget: Sendable {
    var namespace: String
    var pod: String
    var uid: String
    var ports: [Int]

    /// The pod sandbox's id as containerd names it in its messages (64 hex digits).
    var sandboxID: String {
        let hex = uid.filter { $0.isHexDigit }.lowercased()
        return String((hex + hex + String(repeating: "0", count: 64)).prefix(64))
    }

    /// What a kubelet on containerd writes on the error channel when nothing listens on `port`.
    func refusedMessage(port: Int) -> String {
        "error forwarding port \(port) to pod \(sandboxID), uid : failed to execute portforward in network namespace \"/var/run/netns/cni-\(uid)\": failed to connect to localhost:\(port) inside namespace \"\(sandboxID)\", IPv4: dial tcp4 127.0.0.1:\(port): connect: connection refused IPv6 dial tcp6 [::1]:\(port): connect: connection refused"
    }
}
