#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import YAML

extension KubeClient {
    /// Opens a tunnel to `port` of a pod through the API server (`pods/portforward`, WebSocket).
    /// Credentials, TLS, proxies and `-v` logging are the client's own, as for every request.
    /// Errors: the pod does not exist (404), no permission (403), the server refused the upgrade.
    public func portForward(namespace: String, pod: String, port: Int) throws(KubeError) -> PortForwardTunnel {
        guard !pod.isEmpty, !namespace.isEmpty else {
            throw KubeError(.invalid, "port-forward needs a pod name and a namespace")
        }
        guard (1...65535).contains(port) else {
            throw KubeError(.invalid, "port \(port) is not a valid port number (1-65535)")
        }
        let path = self.path(.pods, namespace: namespace, name: pod, subresource: "portforward") + "?ports=\(port)"
        let request = HTTPRequest(method: "GET", path: path, idempotent: false, verb: "create",
                                  resource: "pods/portforward", namespace: namespace, name: pod)
        var refreshedExec = false
        while true {
            do {
                return try transport.openWebSocket(request) { connection, leftover in
                    PortForwardTunnel(connection: connection, namespace: namespace, pod: pod, port: port, leftover: leftover)
                }
            } catch let e where e.code == 401 && !refreshedExec {
                // As for requests: an exec plugin's credential may have been revoked early; run it once more.
                guard case .exec(let exec) = config.credential else { throw e }
                refreshedExec = true
                ExecPlugin.shared.invalidate(exec)
            }
        }
    }
}

extension Transport {
    /// Opens a connection like any request's, sends the upgrade request for `request.path` and
    /// reads the answer: a 101 with the right accept key hands the connection (and any bytes
    /// that came after the answer's head) to `make`; anything else becomes the usual `KubeError`.
    func openWebSocket<T>(_ request: HTTPRequest, protocols: [String] = [PortForwardTunnel.subprotocol],
                          _ make: (CurlConnection, [UInt8]) -> T) throws(KubeError) -> T {
        let url = url(for: request.path)
        let auth = try self.auth()
        let started = Clock.monotonic()
        let connection: CurlConnection
        do {
            connection = try CurlConnection(transport: self, url: url, auth: auth)
        } catch {
            logger.log(6, "\(request.method) \(url)  in \(Int((Clock.monotonic() - started) * 1000)) milliseconds (\(error.message))")
            throw transportError(request, code: error.code, message: error.message, connected: error.connected, osErrno: error.osErrno)
        }
        let key = WebSocketHandshake.makeKey()
        var headers = WebSocketHandshake.requestHeaders(key: key, protocols: protocols)
        headers += credentialHeaders(auth)
        headers.append(("User-Agent", options.userAgent))
        logRequest(request, url: url, headers: headers.filter { $0.0 != "User-Agent" })
        let host = headers.first { $0.0 == "Host" }?.1 ?? server.authority
        let target = server.basePath + request.path
        let bytes = WebSocketHandshake.request(method: request.method, target: target, host: host, headers: headers)
        do {
            try connection.sendAll(bytes)
        } catch {
            throw transportError(request, code: error.code, message: error.message, connected: true, osErrno: error.osErrno)
        }

        // The answer's head, then (for a refusal) its body.
        var received: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 8)
        defer { chunk.deallocate() }
        let deadline = options.requestTimeout.flatMap { $0 > 0 ? started + $0 : nil }
        func receiveMore() throws(KubeError) -> Bool {
            while true {
                switch connection.receive(into: chunk) {
                case .bytes(let n):
                    received.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<n]))
                    return true
                case .closed:
                    return false
                case .failed(let message):
                    throw transportError(request, code: CURLE_RECV_ERROR, message: message, connected: true, osErrno: 0)
                case .again:
                    var wait: Int32 = -1
                    if let deadline {
                        let left = deadline - Clock.monotonic()
                        if left <= 0 { throw transportError(request, code: CURLE_OPERATION_TIMEDOUT, message: "timed out", connected: true, osErrno: 0) }
                        wait = Int32(min(left * 1000 + 1, 60_000))
                    }
                    _ = connection.wait(for: Int16(POLLIN), milliseconds: wait)
                }
            }
        }
        var parsed: (WebSocketHandshake.ResponseHead, length: Int)?
        while true {
            parsed = WebSocketHandshake.parseHead(received)
            if parsed != nil { break }
            guard received.count < 1 << 20, try receiveMore() else {
                throw transportError(request, code: CURLE_GOT_NOTHING, message: "the server closed the connection before answering the upgrade", connected: true, osErrno: 0)
            }
        }
        let (head, headLength) = parsed!
        let millis = Int(((Clock.monotonic() - started) * 1000).rounded())
        if head.status == 101 {
            logResponse(HTTPResponse(status: 101, statusLine: head.statusLine, headers: head.headers, body: []),
                        request: request, url: url, millis: millis)
            if let problem = WebSocketHandshake.problem(with: head, key: key, protocols: protocols) {
                throw KubeError(.protocolError, "the API server at \(config.server) accepted the WebSocket upgrade for \(KubeError.describe(request)) but \(problem); check that nothing between osm and the API server rewrites the connection")
            }
            return make(connection, Array(received[headLength...]))
        }
        // A refusal: read its body (Content-Length, else until the server closes), then say why.
        let expected = head.header("Content-Length").flatMap { Int($0.trimmingWhitespace) }
        while received.count - headLength < (expected ?? Int.max), received.count < 4 << 20 {
            guard try receiveMore() else { break }
        }
        var body = Array(received[headLength...])
        if let expected, body.count > expected { body = Array(body.prefix(expected)) }
        let response = HTTPResponse(status: head.status, statusLine: head.statusLine, headers: head.headers, body: body)
        logResponse(response, request: request, url: url, millis: millis)
        if (200..<300).contains(head.status) {
            throw KubeError(.protocolError, "the API server at \(config.server) answered \(KubeError.describe(request)) with \(Self.statusText(response)) instead of switching to a WebSocket; port-forward needs a server that speaks the v4.channel.k8s.io WebSocket protocol (Kubernetes 1.4 or later)")
        }
        throw KubeError.fromResponse(response, request: request, config: config, url: url, attempts: 1)
    }
}
