#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import ObjectModel

/// One exchange over libcurl: the connection's options (TLS, proxy, timeouts), the request's
/// headers and body, and its answer read within the size limits.
extension Transport {
    func perform(_ request: HTTPRequest, auth: Auth, timeout: Double?, epoch: Int) -> Outcome {
        switch prepare(request, auth: auth, timeout: timeout, epoch: epoch) {
        case .failed(let outcome): return outcome
        case .ready(let p):
            engine.perform(p.transfer)
            return complete(p, request)
        }
    }

    /// A configured transfer, ready for the engine.
    struct Prepared {
        var transfer: Transfer
        var url: String
        var started: Double
    }

    enum Preparation {
        case ready(Prepared)
        case failed(Outcome)
    }

    func prepare(_ request: HTTPRequest, auth: Auth, timeout: Double?, epoch: Int) -> Preparation {
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
    func exchange(_ t: Transfer, _ request: HTTPRequest, url: String, auth: Auth) -> Prepared {
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

    func complete(_ p: Prepared, _ request: HTTPRequest) -> Outcome {
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

    static func setBlob(_ t: Transfer, _ option: CURLoption, _ bytes: [UInt8]) {
        var copy = bytes
        copy.withUnsafeMutableBytes { buf in
            var blob = curl_blob(data: buf.baseAddress, len: buf.count, flags: UInt32(CURL_BLOB_COPY))
            t.set(option, blob: &blob)
        }
        // Best effort: do not leave the extra copy of key material lying in freed memory.
        for i in copy.indices { copy[i] = 0 }
    }
}
