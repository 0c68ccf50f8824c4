#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import ObjectModel

/// Sends API requests for one resolved kubeconfig context over libcurl: credentials, TLS,
/// proxies, timeouts, safe retries and `-v` logging.
final class Transport: @unchecked Sendable {
    let config: ClientConfig
    let options: ClientOptions
    let engine: CurlEngine
    let logger: RequestLogger
    let server: ServerURL
    /// What this command's answers have taken so far (`ClientOptions.maxCommandResponseBytes`).
    let budget: ResponseBudget
    /// What this command's decoded answers take (`ClientOptions.maxCommandDecodedBytes`).
    let decodedBudget: ResponseBudget

    let urlPrefix: String
    let connectTo: String?
    let hostHeader: String?
    let proxy: String
    let noProxy: String?

    init(config: ClientConfig, options: ClientOptions, logger: RequestLogger, maxConnections: Int = 6) throws(KubeError) {
        guard let url = ServerURL(config.server) else {
            throw KubeError(.kubeconfig, "server \"\(config.server)\" of cluster \"\(config.clusterName)\" is not an http(s) URL; set it to e.g. https://host:6443")
        }
        self.config = config
        self.options = options
        budget = ResponseBudget(limit: options.maxCommandResponseBytes)
        decodedBudget = ResponseBudget(limit: options.maxCommandDecodedBytes)
        self.logger = logger
        self.server = url
        self.engine = try CurlEngine(maxConnectionsPerHost: maxConnections)
        if let name = config.tlsServerName, !name.isEmpty, url.scheme == "https" {
            // Verify (and send SNI for) tls-server-name while connecting to the real host.
            let sniHost = name.contains(":") ? "[\(name)]" : name
            urlPrefix = "\(url.scheme)://\(sniHost):\(url.port)\(url.basePath)"
            connectTo = "\(sniHost):\(url.port):\(url.hostForURL):\(url.port)"
            hostHeader = url.authority
        } else {
            urlPrefix = url.description
            connectTo = nil
            hostHeader = nil
        }
        let env = options.environment
        if let p = config.proxyURL, !p.isEmpty {
            proxy = p
            noProxy = nil
        } else if url.isLoopback {
            // Go's ProxyFromEnvironment never proxies loopback addresses.
            proxy = ""
            noProxy = nil
        } else {
            let fromEnv = url.scheme == "https"
                ? (env["HTTPS_PROXY"] ?? env["https_proxy"]) : (env["HTTP_PROXY"] ?? env["http_proxy"])
            proxy = fromEnv ?? ""
            noProxy = env["NO_PROXY"] ?? env["no_proxy"]
        }
        if url.scheme == "http" {
            switch config.credential {
            case .bearer, .basic:
                throw Self.plainHTTPError(config, what: config.credential.isBearer ? "bearer token" : "password")
            default: break
            }
        }
        switch config.credential {
        case .bearer(let t): logger.addSecret(t)
        case .basic(let u, let p):
            logger.addSecret(p)
            logger.addSecret(Base64.encode(Array("\(u):\(p)".utf8)))
        default: break
        }
    }

    func url(for path: String) -> String { urlPrefix + path }

    // MARK: Sending

    enum Outcome {
        case response(HTTPResponse)
        case failure(code: CURLcode, message: String, connected: Bool, osErrno: Int)
        case tooLarge
    }

    /// Sends with retries where safe; any HTTP status comes back as a response.
    func send(_ request: HTTPRequest) throws(KubeError) -> (HTTPResponse, attempts: Int) {
        try send(request, firstOutcome: nil, start: Clock.monotonic(), epoch: options.interruption?.count ?? 0, retryFailures: true)
    }

    /// Sends all at once on the multi handle (one round trip over HTTP/2), then goes on with each
    /// as `send` does (retries where safe, one by one). Results in order.
    ///
    /// The failure rules are those of `send`: `epoch` is the interruption count when the caller
    /// began (a signal since then aborts every transfer in flight, and a batch started after it
    /// is not sent: each answers `.interrupted`, with code 1 when it may have reached the server);
    /// the request timeout runs from the start of the batch; bodies are bounded; writes that get
    /// no answer say they may have been applied. Once one request finds the server unreachable
    /// (timeout or lost connection), the others that failed too are not retried one after another.
    func send(all requests: [HTTPRequest], epoch: Int? = nil) -> [Result<(HTTPResponse, attempts: Int), KubeError>] {
        let epoch = epoch ?? options.interruption?.count ?? 0
        let start = Clock.monotonic()
        if let i = options.interruption, i.interrupted(since: epoch) {
            return requests.map { .failure(interruptedError($0, sent: false)) }
        }
        let auth: Auth
        do throws(KubeError) { auth = try self.auth() } catch { return requests.map { _ in .failure(error) } }
        let timeout = options.requestTimeout.flatMap { $0 > 0 ? $0 : nil }
        var firsts: [Outcome?] = Array(repeating: nil, count: requests.count)
        var prepared: [(index: Int, transfer: Prepared)] = []
        for (i, r) in requests.enumerated() {
            switch prepare(r, auth: auth, timeout: timeout, epoch: epoch) {
            case .ready(let p): prepared.append((i, p))
            case .failed(let outcome): firsts[i] = outcome
            }
        }
        engine.perform(prepared.map(\.transfer.transfer))
        for (i, p) in prepared { firsts[i] = complete(p, requests[i]) }
        var unreachable = false
        var out: [Result<(HTTPResponse, attempts: Int), KubeError>] = []
        out.reserveCapacity(requests.count)
        for i in requests.indices {
            let r = Result { () throws(KubeError) in
                try send(requests[i], firstOutcome: firsts[i], start: start, epoch: epoch, retryFailures: !unreachable)
            }
            if case .failure(let e) = r, e.kind == .timeout || e.kind == .connection { unreachable = true }
            out.append(r)
        }
        return out
    }
}
