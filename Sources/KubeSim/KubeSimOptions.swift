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
    /// Where pods' ports lead for `pods/portforward`: `NAMESPACE/POD:PORT=HOST:PORT` (POD may end in `*`).
    public var forwards: [String] = []
    /// Event-loop threads.
    public var threads = 1
    /// Seconds of one-way delay on every read and write of every connection, as across a
    /// network (a round trip costs twice this; TLS handshakes pay it too). 0: none.
    public var latency: Double = 0

    /// `RBAC` (roles and bindings decide, as a real cluster; requests without credentials are
    /// `system:anonymous`) or `AlwaysAllow` (any authenticated user may do anything; no anonymous).
    /// In-process default AlwaysAllow: suites that talk as token users or certificates without
    /// groups keep working; the `kube-sim` binary defaults to RBAC.
    public var authorization: AuthorizationMode = .alwaysAllow

    /// Seconds a deleted namespace stays Terminating (creates in it are forbidden meanwhile)
    /// before it and its content go. A real cluster takes a few seconds; so do the binary and this
    /// default (osm's suites do not wait on namespace deletion, so they are no slower). 0 for speed.
    public var namespaceDeletionSeconds = 3.0

    /// 1.20's watch cache keeps, per resource, at least 100 recent events and grows to keep the
    /// last 75 seconds' (eventFreshDuration); a watch from a resourceVersion before that window gets
    /// 410 `too old resource version`. This is those 75 seconds; 0 keeps each window at 100 events,
    /// so a test can reach the 410 without waiting.
    public var watchCacheEventFreshSeconds = 75.0

    public init() {}
}
