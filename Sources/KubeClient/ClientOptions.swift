import ObjectModel

/// How to find the cluster and how to talk to it: kubectl's global flags plus what tests inject.
package struct ClientOptions: Sendable {
    /// `--kubeconfig`: one file, which must exist.
    package var kubeconfig: String? = nil
    /// `--context`: a context other than the current one.
    package var context: String? = nil
    /// `--request-timeout` in seconds; nil or 0 means none.
    package var requestTimeout: Double? = nil
    /// How long to wait for a TCP connection and TLS handshake.
    package var connectTimeout: Double = 30
    /// `-v N`: 6 logs each request, 7 adds request headers, 8 response headers and bodies, 9 curl lines.
    package var verbosity: Int = 0
    /// The environment the loading rules and exec plugins see (`KUBECONFIG`, `HOME`, `PATH`, proxies...).
    package var environment: [String: String]
    /// Where an in-cluster pod finds its service account.
    package var inClusterRoot: String = "/var/run/secrets/kubernetes.io/serviceaccount"
    package var userAgent: String = ClientOptions.defaultUserAgent
    /// Attempts per request, counting the first, where a retry is safe.
    package var maxAttempts: Int = 5
    /// Where `-v` lines go; standard error when nil.
    package var logSink: (@Sendable (String) -> Void)? = nil
    /// Credentials of the caller's own inside a body the `-v` log shows (a token in an object's
    /// args): each is masked there and in every later log line.
    package var secretsInBody: (@Sendable (JSONValue) -> [String])? = nil
    /// Whether exec plugins may talk to the user (stdin is a terminal); detected when nil.
    package var interactive: Bool? = nil
    /// Requests in flight when a signal arrives are aborted; nil: never.
    package var interruption: Interruption? = nil
    /// The largest response body accepted, far above any real list; more is an error.
    package var maxResponseBytes: Int = ClientOptions.defaultMaxResponseBytes
    package static let defaultMaxResponseBytes = 256 << 20
    /// The bytes of answers kept in memory one command may take in, all requests and tunnels
    /// together (see `ResponseBudget`).
    package var maxCommandResponseBytes: Int = ClientOptions.defaultMaxCommandResponseBytes
    package static let defaultMaxCommandResponseBytes = 384 << 20
    /// The memory one command's decoded answers may take, all requests together: a list of tiny
    /// objects takes several times its bytes once read (see `JSONValue(parsing:memoryLimit:memoryUsed:)`).
    package var maxCommandDecodedBytes: Int = ClientOptions.defaultMaxCommandDecodedBytes
    package static let defaultMaxCommandDecodedBytes = 320 << 20
    /// The longest total time one request may spend waiting to be retried (429 Retry-After,
    /// backoff) when no request timeout bounds it.
    package var maxRetryWait: Double = 60
    /// How long an exec credential plugin may run before it is killed.
    package var execTimeout: Double = ClientOptions.defaultExecTimeout
    package static let defaultExecTimeout: Double = 60
    /// The request timeout commands use when --request-timeout is not given.
    package static let defaultRequestTimeout: Double = 30
    /// Where one-line notices go (e.g. a long wait the server asked for); standard error when nil.
    package var noticeSink: (@Sendable (String) -> Void)? = nil

    package init() {
        environment = Environment.current()
    }

    /// `<program> (<os>/<arch>)`, the program being this process's executable, as client-go's
    /// `DefaultKubernetesUserAgent` starts; a program sets its own version in `userAgent` (osm
    /// does, in one place).
    package static let defaultUserAgent: String = {
        #if arch(arm64)
        let arch = "arm64"
        #else
        let arch = "amd64"
        #endif
        #if os(macOS)
        let os = "darwin"
        #else
        let os = "linux"
        #endif
        let program = CommandLine.arguments.first.flatMap { $0.split(separator: "/").last.map(String.init) } ?? "kubeclient"
        return "\(program.isEmpty ? "kubeclient" : program) (\(os)/\(arch))"
    }()
}
