#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import ObjectModel

extension KubeClient {
    /// Opens a tunnel to `port` of a pod through the API server (`pods/portforward`, WebSocket).
    /// Credentials, TLS, proxies and `-v` logging are the client's own, as for every request.
    /// Errors: the pod does not exist (404), no permission (403), the server refused the upgrade.
    package func portForward(namespace: String, pod: String, port: Int) throws(KubeError) -> PortForwardTunnel {
        let request = try portForwardRequest(namespace: namespace, pod: pod, port: port)
        var refreshedExec = false
        while true {
            do {
                return try transport.openWebSocket(request) { connection, leftover in
                    PortForwardTunnel(connection: connection, namespace: namespace, pod: pod, port: port, leftover: leftover,
                                      idleTimeout: transport.options.requestTimeout, userAgent: transport.options.userAgent)
                }
            } catch let e where e.code == 401 && !refreshedExec {
                // As for requests: an exec plugin's credential may have been revoked early; run it once more.
                guard refreshExecCredential() else { throw e }
                refreshedExec = true
            }
        }
    }

    /// The upgrade request for a tunnel to `port` of a pod, after checking its arguments.
    func portForwardRequest(namespace: String, pod: String, port: Int) throws(KubeError) -> HTTPRequest {
        guard !pod.isEmpty, !namespace.isEmpty else {
            throw KubeError(.invalid, "port-forward needs a pod name and a namespace")
        }
        try KubeRequest.checkName(pod, "create", .pods)
        try KubeRequest.checkNamespace(.pods, namespace, "create")
        guard (1...65535).contains(port) else {
            throw KubeError(.invalid, "port \(port) is not a valid port number (1-65535)")
        }
        let path = self.path(.pods, namespace: namespace, name: pod, subresource: "portforward") + "?ports=\(port)"
        return HTTPRequest(method: "GET", path: path, idempotent: false, verb: "create",
                           resource: "pods/portforward", namespace: namespace, name: pod)
    }

    /// After a 401: whether the credential comes from an exec plugin, now made to run again.
    func refreshExecCredential() -> Bool {
        guard case .exec(let exec) = config.credential else { return false }
        ExecPlugin.shared.invalidate(exec)
        return true
    }
}

extension Transport {
    /// Opens a connection like any request's, sends the upgrade request for `request.path` and
    /// reads the answer: a 101 with the right accept key hands the connection (and any bytes
    /// that came after the answer's head) to `make`; anything else becomes the usual `KubeError`.
    func openWebSocket<T>(_ request: HTTPRequest, protocols: [String] = [PortForwardTunnel.subprotocol],
                          _ make: (CurlConnection, [UInt8]) -> T) throws(KubeError) -> T {
        var upgrade = try WebSocketUpgrade(self, request, protocols: protocols)
        let connection: CurlConnection
        do {
            connection = try CurlConnection(transport: self, url: upgrade.url, auth: upgrade.auth)
        } catch {
            throw upgrade.connectFailed(error)
        }
        do {
            try connection.sendAll(upgrade.requestBytes())
        } catch {
            throw upgrade.sendFailed(error)
        }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 8)
        defer { chunk.deallocate() }
        while true {
            switch connection.receive(into: chunk) {
            case .bytes(let n):
                if let leftover = try upgrade.take(UnsafeRawBufferPointer(rebasing: chunk[..<n])) { return make(connection, leftover) }
            case .closed:
                throw upgrade.ended()
            case .failed(let message):
                throw upgrade.receiveFailed(message)
            case .again:
                var wait: Int32 = -1
                if let left = upgrade.timeLeft() {
                    if left <= 0 { throw upgrade.timedOut() }
                    wait = Int32(min(left * 1000 + 1, 60_000))
                }
                _ = connection.wait(for: Int16(POLLIN), milliseconds: wait)
            }
        }
    }
}

/// The client's side of one WebSocket upgrade over a connection of its own, as bytes in and
/// out: the request to send, then the answer taken as it arrives (a 101 with the right accept
/// key, or a refusal read to its end and turned into the usual `KubeError`). Logged as every
/// request is (`-v`). Used by the blocking `openWebSocket` and by `PortForwardBatch`.
struct WebSocketUpgrade {
    let transport: Transport
    let request: HTTPRequest
    let protocols: [String]
    let url: String
    let auth: Transport.Auth
    let started: Double
    private let key = WebSocketHandshake.makeKey()
    private var received: [UInt8] = []
    private var head: (WebSocketHandshake.ResponseHead, length: Int)?

    init(_ transport: Transport, _ request: HTTPRequest, protocols: [String]) throws(KubeError) {
        self.transport = transport
        self.request = request
        self.protocols = protocols
        url = transport.url(for: request.path)
        auth = try transport.auth()
        started = Clock.monotonic()
    }

    /// Seconds left before the answer is late (the client's request timeout), nil without one.
    func timeLeft() -> Double? {
        guard let timeout = transport.options.requestTimeout, timeout > 0 else { return nil }
        return started + timeout - Clock.monotonic()
    }

    func connectFailed(_ error: CurlConnection.Failure) -> KubeError {
        transport.logger.log(6, "\(request.method) \(url)  in \(Int((Clock.monotonic() - started) * 1000)) milliseconds (\(error.message))")
        return transport.transportError(request, code: error.code, message: error.message, connected: error.connected, osErrno: error.osErrno)
    }

    /// The upgrade request (logged as it goes).
    func requestBytes() -> [UInt8] {
        var headers = WebSocketHandshake.requestHeaders(key: key, protocols: protocols)
        headers += transport.credentialHeaders(auth)
        headers.append(("User-Agent", transport.options.userAgent))
        transport.logRequest(request, url: url, headers: headers.filter { $0.0 != "User-Agent" })
        let host = headers.first { $0.0 == "Host" }?.1 ?? transport.server.authority
        let target = transport.server.basePath + request.path
        return WebSocketHandshake.request(method: request.method, target: target, host: host, headers: headers)
    }

    func sendFailed(_ error: CurlConnection.Failure) -> KubeError {
        transport.transportError(request, code: error.code, message: error.message, connected: true, osErrno: error.osErrno)
    }

    func receiveFailed(_ message: String) -> KubeError {
        transport.transportError(request, code: CURLE_RECV_ERROR, message: message, connected: true, osErrno: 0)
    }

    func timedOut() -> KubeError {
        transport.transportError(request, code: CURLE_OPERATION_TIMEDOUT, message: "timed out", connected: true, osErrno: 0)
    }

    /// Takes received bytes: the bytes after the answer's head once the upgrade is done, nil
    /// while more are needed; throws the refusal (or a broken handshake).
    mutating func take(_ bytes: UnsafeRawBufferPointer) throws(KubeError) -> [UInt8]? {
        received.append(contentsOf: bytes)
        if head == nil {
            head = WebSocketHandshake.parseHead(received)
            guard let (h, length) = head else {
                if received.count >= 1 << 20 { throw nothing() }
                return nil
            }
            if h.status == 101 {
                transport.logResponse(HTTPResponse(status: 101, statusLine: h.statusLine, headers: h.headers, body: []),
                                      request: request, url: url, millis: millis())
                if let problem = WebSocketHandshake.problem(with: h, key: key, protocols: protocols) {
                    throw KubeError(.protocolError, "the API server at \(transport.config.server) accepted the WebSocket upgrade for \(KubeError.describe(request)) but \(problem); check that nothing between osm and the API server rewrites the connection")
                }
                return Array(received[length...])
            }
        }
        // A refusal: its body (Content-Length, else until the server closes), then why.
        let (h, length) = head!
        let expected: Int?
        do { expected = try h.contentLength() } catch {
            transport.logResponse(HTTPResponse(status: h.status, statusLine: h.statusLine, headers: h.headers, body: []),
                                  request: request, url: url, millis: millis())
            throw KubeError(.protocolError, "the API server at \(transport.config.server) answered the WebSocket upgrade for \(KubeError.describe(request)) with \"\(ServerText.printable(String(h.statusLine.prefix(60))))\" and a \(error.message)")
        }
        if received.count - length >= (expected ?? Int.max) || received.count >= 4 << 20 { throw refusal() }
        return nil
    }

    /// The server closed the connection: the refusal read so far, or nothing at all.
    func ended() -> KubeError {
        head == nil ? nothing() : refusal()
    }

    private func nothing() -> KubeError {
        transport.transportError(request, code: CURLE_GOT_NOTHING, message: "the server closed the connection before answering the upgrade", connected: true, osErrno: 0)
    }

    private func millis() -> Int { Int(((Clock.monotonic() - started) * 1000).rounded()) }

    private func refusal() -> KubeError {
        let (h, length) = head!
        let expected = (try? h.contentLength()) ?? nil  // checked by `take` before this is reached
        var body = Array(received[length...])
        if let expected, body.count > expected { body = Array(body.prefix(expected)) }
        let response = HTTPResponse(status: h.status, statusLine: h.statusLine, headers: h.headers, body: body)
        transport.logResponse(response, request: request, url: url, millis: millis())
        if (200..<300).contains(h.status) {
            return KubeError(.protocolError, "the API server at \(transport.config.server) answered \(KubeError.describe(request)) with \(Transport.statusText(response)) instead of switching to a WebSocket; port-forward needs a server that speaks the v4.channel.k8s.io WebSocket protocol (Kubernetes 1.4 or later)")
        }
        return KubeError.fromResponse(response, request: request, config: transport.config, url: url, attempts: 1)
    }
}
