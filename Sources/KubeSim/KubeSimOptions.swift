/// How a `KubeSim` behaves: where it listens, what it claims to be, and how it misbehaves.
public struct KubeSimOptions: Sendable {
    public var port: Int = 0
    public var bind = "127.0.0.1"
    /// What `/version` reports; also decides which API versions are served (v1beta1 groups end at 1.21).
    public var serverVersion = "v1.20.15"
    /// Seconds a Deployment's pods take to become ready.
    public var readyAfter: Double = 1.0
    /// Regular expression: pods with a matching image stay Pending in ImagePullBackOff.
    public var unpullableImage: String? = nil
    /// Bearer tokens accepted as users `token-user-N` (N counts from 0).
    public var tokens: [String] = []
    /// Bearer token for the `/kube-sim/faults` admin endpoint (also accepted as user `admin`).
    public var adminToken: String? = nil
    public var faults: [FaultRule] = []
    /// Appends one JSON line per request to this file.
    public var logPath: String? = nil
    /// Serve plain HTTP instead of TLS (then only bearer tokens authenticate).
    public var insecureHTTP = false
    /// Offer HTTP/2 in TLS's ALPN as a real API server does (clients that ask for it get it;
    /// others get HTTP/1.1). Plain HTTP is always HTTP/1.1.
    public var http2 = true
    /// Event-loop threads.
    public var threads = 1
    /// Seconds of one-way delay on every read and write of every connection, as across a
    /// network (a round trip costs twice this; TLS handshakes pay it too). 0: none.
    public var latency: Double = 0

    public init() {}
}
