#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import YAML

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

    private let urlPrefix: String
    private let connectTo: String?
    private let hostHeader: String?
    private let proxy: String
    private let noProxy: String?

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

    // MARK: Credentials

    struct Auth {
        var authorization: String?
        var certificatePEM: [UInt8]?
        var keyPEM: [UInt8]?
    }

    func auth() throws(KubeError) -> Auth {
        var a = Auth(authorization: nil, certificatePEM: config.clientCertificatePEM, keyPEM: config.clientKeyPEM)
        switch config.credential {
        case .none: break
        case .bearer(let t): a.authorization = "Bearer \(t)"
        case .basic(let u, let p): a.authorization = "Basic \(Base64.encode(Array("\(u):\(p)".utf8)))"
        case .exec(let e):
            let cred = try ExecPlugin.shared.credential(e, ExecPlugin.Context(
                userName: config.userName, environment: options.environment, interactive: options.interactive, cluster: config,
                timeout: options.execTimeout))
            if let t = cred.token {
                logger.addSecret(t)
                if server.scheme == "http" { throw Self.plainHTTPError(config, what: "bearer token (from its exec plugin)") }
                a.authorization = "Bearer \(t)"
            }
            if let c = cred.clientCertificatePEM, let k = cred.clientKeyPEM {
                a.certificatePEM = c
                a.keyPEM = k
            }
        }
        return a
    }

    /// kubectl sends no credential over plain http; neither do we.
    static func plainHTTPError(_ config: ClientConfig, what: String) -> KubeError {
        KubeError(.credentials, "refusing to send the \(what) of user \"\(config.userName)\" in clear to the API server at \(config.server) (cluster \"\(config.clusterName)\" of context \"\(config.contextName)\" in \(config.source)): use an https:// server address")
    }

    // MARK: Sending

    private enum Outcome {
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

    /// `firstOutcome`: the first attempt, already made in a batch. `retryFailures`: false once the
    /// server is known unreachable (a failed transfer is then final; answers still follow their rules).
    private func send(_ request: HTTPRequest, firstOutcome: Outcome?, start: Double, epoch: Int,
                      retryFailures: Bool) throws(KubeError) -> (HTTPResponse, attempts: Int) {
        var firstOutcome = firstOutcome
        let deadline = options.requestTimeout.flatMap { $0 > 0 ? start + $0 : nil }
        let maxAttempts = max(1, options.maxAttempts)
        var attempt = 0
        var refreshedExec = false
        var waited = 0.0
        while true {
            attempt += 1
            let outcome: Outcome
            if let first = firstOutcome {
                // The batch's first attempt, already made: it counts as this attempt, whatever came after it.
                outcome = first
                firstOutcome = nil
            } else {
                if let i = options.interruption, i.interrupted(since: epoch) { throw interruptedError(request, sent: attempt > 1) }
                let auth = try self.auth()
                var timeout: Double? = nil
                if let deadline {
                    timeout = deadline - Clock.monotonic()
                    if timeout! <= 0 { throw timeoutError(request, connected: true) }
                }
                outcome = perform(request, auth: auth, timeout: timeout, epoch: epoch)
            }
            var wait: Double? = nil
            switch outcome {
            case .tooLarge where budget.exhausted:
                throw KubeError(.protocolError, "the API server's answers to this command are larger than \(budget.limitText) in all (at \(request.method) \(url(for: request.path))), far more than any real cluster sends; check that the server address in \(config.source) points at a Kubernetes API server")
            case .tooLarge:
                throw KubeError(.protocolError, "unexpected answer from the API server to \(request.method) \(url(for: request.path)): the body is larger than \(options.maxResponseBytes >> 20) MiB, far more than any real answer; check that the server address in \(config.source) points at a Kubernetes API server")
            case .response(let r):
                let status = r.status
                var asked: Double? = nil
                if status == 401, case .exec(let e) = config.credential, !refreshedExec {
                    // The plugin's credential may have been revoked early: run it once more.
                    refreshedExec = true
                    ExecPlugin.shared.invalidate(e)
                    wait = 0
                } else if status == 429 || (request.idempotent && (status == 502 || status == 503 || status == 504)) {
                    // 429 means the request was not processed, whatever its verb.
                    asked = Self.retryAfter(r.header("Retry-After"))
                    wait = asked ?? backoff(attempt)
                }
                guard let w = wait, attempt < maxAttempts, fits(w, deadline, waited: waited) else { return (r, attempt) }
                if let asked, asked >= 2 {
                    notice("Notice: the API server answered \(KubeError.describe(request)) with \(Self.statusText(r)) and asked to retry in \(Self.formatSeconds(asked)); waiting (attempt \(attempt + 1) of \(maxAttempts), Ctrl-C to stop)")
                }
                logger.log(6, "Retrying \(request.method) \(url(for: request.path)) after \(Self.statusText(r)) in \(Self.formatSeconds(w)) (attempt \(attempt + 1) of \(maxAttempts))")
                try sleep(w, request, epoch: epoch)
                waited += w
            case .failure(let code, let message, let connected, let osErrno):
                if code == CURLE_ABORTED_BY_CALLBACK { throw interruptedError(request, sent: connected) }
                let notSent = code == CURLE_COULDNT_CONNECT
                let resetAfterSend = [CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_PARTIAL_FILE].contains(code)
                let retryable = notSent || (request.idempotent && resetAfterSend)
                let w = backoff(attempt)
                let limit = notSent ? min(maxAttempts, 3) : maxAttempts
                guard retryable, retryFailures, attempt < limit, fits(w, deadline, waited: waited) else {
                    throw transportError(request, code: code, message: message, connected: connected, osErrno: osErrno)
                }
                logger.log(6, "Retrying \(request.method) \(url(for: request.path)) after \(message) in \(Self.formatSeconds(w)) (attempt \(attempt + 1) of \(limit))")
                try sleep(w, request, epoch: epoch)
                waited += w
            }
        }
    }

    /// Sleeps between attempts, cut short by a signal.
    private func sleep(_ seconds: Double, _ request: HTTPRequest, epoch: Int) throws(KubeError) {
        let end = Clock.monotonic() + seconds
        while true {
            if let i = options.interruption, i.interrupted(since: epoch) { throw interruptedError(request, sent: true) }
            let left = end - Clock.monotonic()
            if left <= 0 { return }
            Clock.sleep(seconds: min(left, 0.05))
        }
    }

    private func notice(_ line: String) {
        if let sink = options.noticeSink { sink(line); return }
        StandardError.write(line + "\n")
    }

    private func interruptedError(_ request: HTTPRequest, sent: Bool) -> KubeError {
        KubeError(.interrupted, code: sent ? 1 : 0, "interrupted during \(KubeError.describe(request))")
    }

    /// Whether waiting `wait` more stays within the request's deadline, or else within `maxRetryWait` in all.
    private func fits(_ wait: Double, _ deadline: Double?, waited: Double) -> Bool {
        guard let deadline else { return waited + wait <= options.maxRetryWait }
        return Clock.monotonic() + wait < deadline
    }

    /// Exponential from 100 ms, capped at 5 s, with ±50% jitter so that many clients spread out.
    private func backoff(_ attempt: Int) -> Double {
        let base = min(0.1 * Double(1 << min(attempt - 1, 10)), 5)
        return base * Double.random(in: 0.5...1.5)
    }

    /// `Retry-After` in seconds (the only form the API server sends), capped at 30 s.
    static func retryAfter(_ header: String?) -> Double? {
        guard let h = header?.trimmingWhitespace, let s = Int(h), s >= 0 else { return nil }
        return Double(min(s, 30))
    }

    static func formatSeconds(_ s: Double) -> String {
        s < 1 ? "\(Int(s * 1000))ms" : GoDuration(seconds: (s * 1000).rounded() / 1000).description
    }

    private func perform(_ request: HTTPRequest, auth: Auth, timeout: Double?, epoch: Int) -> Outcome {
        switch prepare(request, auth: auth, timeout: timeout, epoch: epoch) {
        case .failed(let outcome): return outcome
        case .ready(let p):
            engine.perform(p.transfer)
            return complete(p, request)
        }
    }

    /// A configured transfer, ready for the engine.
    private struct Prepared {
        var transfer: Transfer
        var url: String
        var started: Double
    }

    private enum Preparation {
        case ready(Prepared)
        case failed(Outcome)
    }

    private func prepare(_ request: HTTPRequest, auth: Auth, timeout: Double?, epoch: Int) -> Preparation {
        let url = url(for: request.path)
        guard let t = engine.makeTransfer() else {
            return .failed(.failure(code: CURLE_OUT_OF_MEMORY, message: "cannot allocate a libcurl handle", connected: false, osErrno: 0))
        }
        configureConnection(t, url: url, auth: auth, timeout: timeout, epoch: epoch)
        return .ready(exchange(t, request, url: url, auth: auth))
    }

    /// What every connection to the server shares, requests and port-forward tunnels alike:
    /// URL, timeouts, proxy, TLS verification and client certificate.
    /// `epoch`: the interruption count when the request began (a signal after it aborts the transfer).
    func configureConnection(_ t: Transfer, url: String, auth: Auth, timeout: Double?, epoch: Int? = nil) {
        let epoch = epoch ?? options.interruption?.count ?? 0
        t.set(CURLOPT_URL, url)
        t.set(CURLOPT_NOSIGNAL, 1)
        t.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        t.set(CURLOPT_PIPEWAIT, 1)
        t.set(CURLOPT_TCP_KEEPALIVE, 1)
        t.set(CURLOPT_TCP_NODELAY, 1)
        // Idle connections older than this are not reused: the server may be closing them.
        t.set(CURLOPT_MAXAGE_CONN, 30)
        t.set(CURLOPT_ACCEPT_ENCODING, "")
        t.set(CURLOPT_ERRORBUFFER, pointer: t.errorBuffer)
        t.set(CURLOPT_CONNECTTIMEOUT_MS, Int(max(options.connectTimeout, 0.001) * 1000))
        if let timeout { t.set(CURLOPT_TIMEOUT_MS, max(1, Int(timeout * 1000))) }
        t.set(CURLOPT_USERAGENT, options.userAgent)
        t.set(CURLOPT_PROXY, proxy)
        if let noProxy { t.set(CURLOPT_NOPROXY, noProxy) }
        t.maxBodyBytes = options.maxResponseBytes
        t.budget = budget
        if let interruption = options.interruption {
            t.shouldAbort = { interruption.interrupted(since: epoch) }
            t.set(CURLOPT_NOPROGRESS, 0)
            t.set(CURLOPT_XFERINFOFUNCTION, pointer: unsafeBitCast(Transfer.progressCallback, to: UnsafeRawPointer.self))
            t.set(CURLOPT_XFERINFODATA, pointer: Unmanaged.passUnretained(t).toOpaque())
        }

        // TLS: the CA, client certificate and key go to libcurl as in-memory blobs, never files.
        if config.insecureSkipTLSVerify {
            t.set(CURLOPT_SSL_VERIFYPEER, 0)
            t.set(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            t.set(CURLOPT_SSL_VERIFYPEER, 1)
            t.set(CURLOPT_SSL_VERIFYHOST, 2)
        }
        if let ca = config.caPEM { Self.setBlob(t, CURLOPT_CAINFO_BLOB, ca) }
        if let cert = auth.certificatePEM, let key = auth.keyPEM {
            Self.setBlob(t, CURLOPT_SSLCERT_BLOB, cert)
            t.set(CURLOPT_SSLCERTTYPE, "PEM")
            Self.setBlob(t, CURLOPT_SSLKEY_BLOB, key)
            t.set(CURLOPT_SSLKEYTYPE, "PEM")
        }
        if let connectTo {
            t.connectToList = curl_slist_append(nil, connectTo)
            t.set(CURLOPT_CONNECT_TO, pointer: t.connectToList)
        }
    }

    /// Host (for tls-server-name), credentials and impersonation: the headers every request carries.
    func credentialHeaders(_ auth: Auth) -> [(String, String)] {
        var headers: [(String, String)] = []
        if let hostHeader { headers.append(("Host", hostHeader)) }
        if let a = auth.authorization { headers.append(("Authorization", a)) }
        if let who = config.impersonate { headers.append(("Impersonate-User", who)) }
        for g in config.impersonateGroups { headers.append(("Impersonate-Group", g)) }
        return headers
    }

    /// The request itself on a configured transfer: headers, method, body and callbacks.
    private func exchange(_ t: Transfer, _ request: HTTPRequest, url: String, auth: Auth) -> Prepared {
        var headers: [(String, String)] = [("Accept", "application/json, */*")]
        if let ct = request.contentType { headers.append(("Content-Type", ct)) }
        headers += credentialHeaders(auth)
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (k, v) in headers { list = curl_slist_append(list, "\(k): \(v)") }
        list = curl_slist_append(list, "Expect:")
        t.headerList = list
        t.set(CURLOPT_HTTPHEADER, pointer: list)

        switch request.method {
        case "GET": t.set(CURLOPT_HTTPGET, 1)
        case "HEAD": t.set(CURLOPT_NOBODY, 1)
        default:
            if request.method != "POST" { t.set(CURLOPT_CUSTOMREQUEST, request.method) }
            if let body = request.body {
                t.set(CURLOPT_POST, 1)
                t.set(CURLOPT_POSTFIELDSIZE_LARGE, size: curl_off_t(body.count))
                if request.idempotent {
                    body.withUnsafeBytes { t.set(CURLOPT_COPYPOSTFIELDS, pointer: $0.baseAddress) }
                } else {
                    // libcurl silently resends a request whose reused connection died before any answer.
                    // Fed through a read callback without a seek callback, the body cannot be rewound,
                    // so a sent POST fails (CURLE_SEND_FAIL_REWIND) instead of maybe being applied twice.
                    t.upload = body
                    t.set(CURLOPT_READFUNCTION, callback: Transfer.readCallback)
                    t.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(t).toOpaque())
                }
            }
        }
        let me = Unmanaged.passUnretained(t).toOpaque()
        t.set(CURLOPT_WRITEFUNCTION, callback: Transfer.writeCallback)
        t.set(CURLOPT_WRITEDATA, pointer: me)
        t.set(CURLOPT_HEADERFUNCTION, callback: Transfer.headerCallback)
        t.set(CURLOPT_HEADERDATA, pointer: me)

        logRequest(request, url: url, headers: headers)
        return Prepared(transfer: t, url: url, started: Clock.monotonic())
    }

    private func complete(_ p: Prepared, _ request: HTTPRequest) -> Outcome {
        let (t, url, started) = (p.transfer, p.url, p.started)
        let millis = Int(((Clock.monotonic() - started) * 1000).rounded())
        // The handle is back in the pool; only Transfer's own copies are read from here on.
        let connected = t.connected
        if t.bodyTooLarge {
            logger.log(6, "\(request.method) \(url)  in \(millis) milliseconds (body over \(options.maxResponseBytes) bytes)")
            return .tooLarge
        }
        if t.result != CURLE_OK {
            let message = t.errorMessage
            logger.log(6, "\(request.method) \(url)  in \(millis) milliseconds (\(message))")
            return .failure(code: t.result, message: message, connected: connected, osErrno: t.osErrno)
        }
        let response = HTTPResponse(status: t.status, statusLine: t.statusLine, headers: t.headers, body: t.body)
        logResponse(response, request: request, url: url, millis: millis)
        return .response(response)
    }

    /// `200 OK`, `429 Too Many Requests`: the status line without the protocol.
    static func statusText(_ r: HTTPResponse) -> String {
        // The server's own words: shown escaped, never acted on by the terminal.
        let text = r.statusLine.split(separator: " ", maxSplits: 1).dropFirst().first.map { ServerText.printable(String($0)) } ?? "\(r.status)"
        // HTTP/2 has no reason phrase; say it the way Go's http.StatusText does.
        guard !text.contains(" "), let phrase = reasonPhrases[r.status] else { return text }
        return "\(r.status) \(phrase)"
    }

    static let reasonPhrases: [Int: String] = [
        200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
        403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict",
        410: "Gone", 415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests",
        500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]

    private static func setBlob(_ t: Transfer, _ option: CURLoption, _ bytes: [UInt8]) {
        var copy = bytes
        copy.withUnsafeMutableBytes { buf in
            var blob = curl_blob(data: buf.baseAddress, len: buf.count, flags: UInt32(CURL_BLOB_COPY))
            t.set(option, blob: &blob)
        }
        // Best effort: do not leave the extra copy of key material lying in freed memory.
        for i in copy.indices { copy[i] = 0 }
    }

    // MARK: Logging

    func logRequest(_ r: HTTPRequest, url: String, headers: [(String, String)]) {
        guard logger.enabled(7) else { return }
        let all = headers + [("User-Agent", options.userAgent)]
        if logger.enabled(9) {
            var curl = "curl -v -X\(r.method)"
            for (k, v) in all { curl += " -H \"\(k): \(RequestLogger.redactHeader(name: k, value: v))\"" }
            if config.insecureSkipTLSVerify { curl += " -k" }
            curl += " '\(url)'"
            logger.log(9, curl)
        }
        logger.log(7, "Request Headers:")
        for (k, v) in all { logger.log(7, "    \(k): \(RequestLogger.redactHeader(name: k, value: v))") }
        if let body = r.body, logger.enabled(8) {
            logger.log(8, "Request Body: \(logger.loggableBody(body, secrets: r.resource == "secrets"))")
        }
    }

    func logResponse(_ r: HTTPResponse, request: HTTPRequest, url: String, millis: Int) {
        guard logger.enabled(6) else { return }
        let statusText = Self.statusText(r)
        logger.log(6, "\(request.method) \(url) \(statusText) in \(millis) milliseconds")
        guard logger.enabled(8) else { return }
        logger.log(8, "Response Headers:")
        for (k, v) in r.headers { logger.log(8, "    \(k): \(RequestLogger.redactHeader(name: k, value: v))") }
        if !r.body.isEmpty {
            logger.log(8, "Response Body: \(logger.loggableBody(r.body, secrets: request.resource == "secrets"))")
        }
    }

    // MARK: Errors

    private func timeoutError(_ request: HTTPRequest, connected: Bool) -> KubeError {
        let url = url(for: request.path)
        if !connected {
            let limit = GoDuration(seconds: options.connectTimeout).description
            let cap = options.requestTimeout.map { " (or --request-timeout=\(GoDuration(seconds: $0)))" } ?? ""
            return KubeError(.timeout, "timed out after \(limit)\(cap) connecting to the API server at \(config.server) for \(request.method) \(url); check the server address, network and proxy")
        }
        let limit = options.requestTimeout.map { GoDuration(seconds: $0).description } ?? "?"
        if request.method != "GET" && request.method != "HEAD" {
            return KubeError(.timeout, "\(request.method) \(url) got no answer within \(limit) (--request-timeout=\(limit)): the API server may have applied the change anyway; check with '\(Self.checkCommand(request))' before trying again")
        }
        return KubeError(.timeout, "\(request.method) \(url) timed out after \(limit) (--request-timeout=\(limit)); raise --request-timeout or check the API server's health")
    }

    /// The kubectl command that shows whether a write landed.
    static func checkCommand(_ r: HTTPRequest) -> String {
        let resource = r.resource
        var cmd = "kubectl get \(resource.isEmpty ? r.path : resource)"
        if let n = r.name { cmd += " \(n)" }
        if let ns = r.namespace { cmd += " -n \(ns)" }
        if r.name != nil { cmd += " -o yaml" }
        return cmd
    }

    func transportError(_ request: HTTPRequest, code: CURLcode, message: String, connected: Bool, osErrno: Int) -> KubeError {
        let url = url(for: request.path)
        let server = config.server
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return timeoutError(request, connected: connected)
        case CURLE_COULDNT_RESOLVE_HOST:
            return KubeError(.connection, "cannot resolve the host of the API server at \(server) (\(message)); check the server address in \(config.source) and your DNS")
        case CURLE_COULDNT_RESOLVE_PROXY:
            return KubeError(.connection, "cannot resolve the proxy \(proxy) for the API server at \(server) (\(message)); check proxy-url or HTTPS_PROXY")
        case CURLE_COULDNT_CONNECT:
            let refused = osErrno == Int(ECONNREFUSED) || message.lowercased().contains("refused")
            return KubeError(.connection, "cannot connect to the API server at \(server)\(refused ? ": connection refused" : " (\(message))"); check that the cluster is running and that the server address in \(config.source) is right")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return KubeError(.tls, "TLS verification of the API server at \(server) failed (\(message)); check certificate-authority(-data) and tls-server-name of cluster \"\(config.clusterName)\" in \(config.source)")
        case CURLE_SSL_CERTPROBLEM, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED:
            return KubeError(.credentials, "the client certificate or key of user \"\(config.userName)\" cannot be used (\(message)); check client-certificate(-data) and client-key(-data) in \(config.source)")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_SHUTDOWN_FAILED:
            return KubeError(.tls, "TLS handshake with the API server at \(server) failed (\(message)); check the server address, certificate-authority and client certificate in \(config.source)")
        case CURLE_SEND_FAIL_REWIND:
            return KubeError(.connection, "the connection to the API server at \(server) broke after \(KubeError.describe(request)) was sent, so it was not retried; check whether the change was made, then try again")
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_PARTIAL_FILE:
            return KubeError(.connection, "the connection to the API server at \(server) broke during \(request.method) \(url) (\(message)); try again\(request.idempotent ? "" : ", after checking whether the change was made")")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return KubeError(.kubeconfig, "the API server URL \(url) cannot be used (\(message)); check the server address in \(config.source)")
        default:
            return KubeError(.other, "\(request.method) \(url) failed: \(message)")
        }
    }
}
