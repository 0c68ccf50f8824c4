#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

/// One `GET` through a tunnel of its own to a port of a pod, for `KubeClient.portForwardGet`.
package struct PortForwardGet: Sendable {
    package var namespace: String
    package var pod: String
    package var port: Int
    /// The request target inside the tunnel, e.g. `/config_dump`.
    package var target: String
    /// The `Host` header inside the tunnel, e.g. `localhost:15000`.
    package var host: String
    /// Bytes of body beyond which the answer is refused (`.tooLarge`).
    package var limit: Int

    package init(namespace: String, pod: String, port: Int, target: String, host: String, limit: Int) {
        self.namespace = namespace
        self.pod = pod
        self.port = port
        self.target = target
        self.host = host
        self.limit = limit
    }
}

/// The answer a pod's port gave a `PortForwardGet`, whatever its status.
package struct PortForwardAnswer: Sendable, Equatable {
    package var status: Int
    package var statusLine: String
    package var body: [UInt8]

    package init(status: Int, statusLine: String, body: [UInt8]) {
        self.status = status
        self.statusLine = statusLine
        self.body = body
    }
}

package enum PortForwardGetFailure: Error, Sendable {
    /// The tunnel could not be opened (the API server refused it, no connection...).
    case portForward(KubeError)
    /// The exchange inside the tunnel failed.
    case http(PortForwardTunnel.HTTPFailure)
    /// The body grew past the request's limit.
    case tooLarge(limit: Int)
    /// The answers kept by this command (all tunnels and requests) grew past its budget
    /// (`ClientOptions.maxCommandResponseBytes`).
    case commandTooLarge(limit: Int)
}

extension KubeClient {
    /// Runs each `GET` through a tunnel of its own, at most `maxInFlight` tunnels open at once,
    /// all on the calling thread: the connections are opened side by side by a curl multi handle,
    /// then every tunnel's upgrade, request and answer advance together over one `poll()` of
    /// their sockets. Same credentials, TLS checks, timeouts (the request timeout bounds each
    /// upgrade) and errors as `portForward` + `PortForwardTunnel.httpGet`. Results in order.
    package func portForwardGet(_ gets: [PortForwardGet], maxInFlight: Int = 8) -> [Result<PortForwardAnswer, PortForwardGetFailure>] {
        var results = [Result<PortForwardAnswer, PortForwardGetFailure>?](repeating: nil, count: gets.count)
        var todo = Array(gets.indices)
        var refreshedExec = false
        while !todo.isEmpty {
            PortForwardBatch(client: self, gets: gets, maxInFlight: maxInFlight).run(todo) { results[$0] = $1 }
            // As for requests: an exec plugin's credential may have been revoked early; run it once more.
            let unauthorized = todo.filter {
                if case .failure(.portForward(let e)) = results[$0], e.code == 401 { return true }
                return false
            }
            guard !unauthorized.isEmpty, !refreshedExec, refreshExecCredential() else { break }
            refreshedExec = true
            todo = unauthorized
        }
        return results.map { $0 ?? .failure(.portForward(KubeError(.other, "internal error: a port-forward request never finished"))) }
    }
}

/// The engine of `KubeClient.portForwardGet`: small per-tunnel state machines (connecting,
/// upgrading, exchanging) driven by one loop on the calling thread.
final class PortForwardBatch {
    private final class Item {
        let index: Int
        let get: PortForwardGet
        var upgrade: WebSocketUpgrade
        /// Set while the connection is being opened.
        var transfer: Transfer?
        var connection: CurlConnection?
        var tunnel: PortForwardTunnel?
        var answer = HTTPAnswerParser()
        var status = 0
        var statusLine = ""
        var body: [UInt8] = []
        var done = false

        init(index: Int, get: PortForwardGet, upgrade: WebSocketUpgrade) {
            self.index = index
            self.get = get
            self.upgrade = upgrade
        }
    }

    private struct TooLarge: Error {}
    private struct CommandTooLarge: Error {}

    private let client: KubeClient
    private let gets: [PortForwardGet]
    private let maxInFlight: Int
    private var report: (Int, Result<PortForwardAnswer, PortForwardGetFailure>) -> Void = { _, _ in }
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 8)

    init(client: KubeClient, gets: [PortForwardGet], maxInFlight: Int) {
        self.client = client
        self.gets = gets
        self.maxInFlight = max(1, maxInFlight)
    }

    deinit { chunk.deallocate() }

    func run(_ indices: [Int], _ report: @escaping (Int, Result<PortForwardAnswer, PortForwardGetFailure>) -> Void) {
        self.report = report
        var waiting = indices[...]
        var active: [Item] = []
        // The group whose connections are being opened; one at a time (see CurlConnectionGroup).
        var group: (CurlConnectionGroup, [UnsafeMutableRawPointer: Item])?
        while !waiting.isEmpty || !active.isEmpty {
            if group == nil, active.count < maxInFlight, !waiting.isEmpty {
                let started = start(waiting.prefix(maxInFlight - active.count))
                waiting = waiting.dropFirst(maxInFlight - active.count)
                active += started.items
                group = started.group
            }
            if let (g, connecting) = group {
                group = connected(g, connecting)
            }
            for item in active where item.connection != nil && !item.done { step(item) }
            active.removeAll { $0.done }
            wait(active, group?.0)
        }
    }

    // MARK: Connecting

    private func start(_ indices: ArraySlice<Int>) -> (items: [Item], group: (CurlConnectionGroup, [UnsafeMutableRawPointer: Item])?) {
        guard let g = CurlConnectionGroup() else {
            for i in indices { report(i, .failure(.portForward(KubeError(.other, "libcurl: out of memory")))) }
            return ([], nil)
        }
        var items: [Item] = []
        var connecting: [UnsafeMutableRawPointer: Item] = [:]
        for i in indices {
            let get = gets[i]
            let item: Item
            do throws(KubeError) {
                let request = try client.portForwardRequest(namespace: get.namespace, pod: get.pod, port: get.port)
                item = Item(index: i, get: get, upgrade: try WebSocketUpgrade(client.transport, request, protocols: [PortForwardTunnel.subprotocol]))
            } catch {
                report(i, .failure(.portForward(error)))
                continue
            }
            let t: Transfer
            do {
                t = try CurlConnection.prepare(transport: client.transport, url: item.upgrade.url, auth: item.upgrade.auth)
            } catch {
                report(i, .failure(.portForward(item.upgrade.connectFailed(error))))
                continue
            }
            guard curl_multi_add_handle(g.multi, t.easy) == CURLM_OK else {
                curl_easy_cleanup(t.easy)
                report(i, .failure(.portForward(item.upgrade.connectFailed(
                    CurlConnection.Failure(code: CURLE_FAILED_INIT, message: "libcurl refused the connection", connected: false, osErrno: 0)))))
                continue
            }
            item.transfer = t
            connecting[t.easy] = item
            items.append(item)
        }
        return (items, connecting.isEmpty ? nil : (g, connecting))
    }

    /// Advances the group's connections; those opened send their upgrade request. The group
    /// while some are still connecting, else nil.
    private func connected(_ g: CurlConnectionGroup, _ connecting: [UnsafeMutableRawPointer: Item]) -> (CurlConnectionGroup, [UnsafeMutableRawPointer: Item])? {
        var connecting = connecting
        var running: Int32 = 0
        curl_multi_perform(g.multi, &running)
        var left: Int32 = 0
        while let msg = curl_multi_info_read(g.multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle,
                  let item = connecting.removeValue(forKey: easy), let t = item.transfer else { continue }
            item.transfer = nil
            let code = osm_curl_msg_result(msg)
            guard code == CURLE_OK else {
                let failure = CurlConnection.failure(code, t)
                curl_multi_remove_handle(g.multi, easy)
                curl_easy_cleanup(easy)
                finish(item, .failure(.portForward(item.upgrade.connectFailed(failure))))
                continue
            }
            let connection = CurlConnection(connected: t, group: g)
            item.connection = connection
            do {
                try connection.sendAll(item.upgrade.requestBytes())
            } catch {
                finish(item, .failure(.portForward(item.upgrade.sendFailed(error))))
            }
        }
        return connecting.isEmpty ? nil : (g, connecting)
    }

    // MARK: Upgrading and exchanging

    /// Takes whatever the item's connection has for it, until it would block or the item is done.
    private func step(_ item: Item) {
        guard let connection = item.connection else { return }
        while !item.done {
            if let tunnel = item.tunnel {
                let read: PortForwardTunnel.ReadResult
                do { read = try tunnel.readAvailable() } catch {
                    finish(item, .failure(.http(.tunnel(error))))
                    return
                }
                switch read {
                case .wouldBlock:
                    if let left = tunnel.idleTimeLeft(), left <= 0 { finish(item, .failure(.http(.tunnel(tunnel.stalled())))) }
                    return
                case .end:
                    if let failure = item.answer.failureAtEnd(tunnel) { finish(item, .failure(.http(failure))) } else { finishAnswered(item) }
                case .data(let bytes):
                    do {
                        let limit = item.get.limit
                        let budget = client.transport.budget
                        let complete = try item.answer.feed(bytes, head: { h in
                            item.status = h.status
                            item.statusLine = h.statusLine
                        }, body: { chunk in
                            // Checked before the bytes are kept, as the one-at-a-time default does.
                            if item.body.count + chunk.count > limit { throw TooLarge() }
                            if !budget.take(chunk.count) { throw CommandTooLarge() }
                            item.body += chunk
                        })
                        if complete { finishAnswered(item) }
                    } catch let e as PortForwardTunnel.HTTPFailure {
                        finish(item, .failure(.http(e)))
                    } catch is CommandTooLarge {
                        finish(item, .failure(.commandTooLarge(limit: client.transport.budget.limit)))
                    } catch {
                        finish(item, .failure(.tooLarge(limit: item.get.limit)))
                    }
                }
                continue
            }
            switch connection.receive(into: chunk) {
            case .bytes(let n):
                let leftover: [UInt8]?
                do { leftover = try item.upgrade.take(UnsafeRawBufferPointer(rebasing: chunk[..<n])) } catch {
                    finish(item, .failure(.portForward(error)))
                    return
                }
                guard let leftover else { continue }
                let get = item.get
                let tunnel = PortForwardTunnel(connection: connection, namespace: get.namespace, pod: get.pod, port: get.port, leftover: leftover,
                                               idleTimeout: client.transport.options.requestTimeout,
                                               userAgent: client.transport.options.userAgent)
                item.tunnel = tunnel
                do {
                    try tunnel.write(PortForwardTunnel.httpGetRequest(get.target, host: get.host, userAgent: tunnel.userAgent))
                } catch {
                    finish(item, .failure(.http(tunnel.httpEndFailure(received: 0, expected: nil, fallback: .tunnel(error)))))
                }
            case .closed:
                finish(item, .failure(.portForward(item.upgrade.ended())))
            case .failed(let message):
                finish(item, .failure(.portForward(item.upgrade.receiveFailed(message))))
            case .again:
                if let left = item.upgrade.timeLeft(), left <= 0 { finish(item, .failure(.portForward(item.upgrade.timedOut()))) }
                return
            }
        }
    }

    private func finishAnswered(_ item: Item) {
        finish(item, .success(PortForwardAnswer(status: item.status, statusLine: item.statusLine, body: item.body)))
    }

    private func finish(_ item: Item, _ result: Result<PortForwardAnswer, PortForwardGetFailure>) {
        item.done = true
        if let tunnel = item.tunnel { tunnel.close() } else { item.connection?.close() }
        item.tunnel = nil
        item.connection = nil
        item.body = []
        report(item.index, result)
    }

    // MARK: Waiting

    /// Waits until a socket of an open tunnel is readable, the connecting group has news, or the
    /// first upgrade deadline (at most a second).
    private func wait(_ active: [Item], _ connecting: CurlConnectionGroup?) {
        guard !active.isEmpty else { return }
        var timeout = 1000.0
        var fds: [pollfd] = []
        for item in active {
            guard let connection = item.connection else { continue }
            fds.append(pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0))
            if let tunnel = item.tunnel {
                if let left = tunnel.idleTimeLeft() { timeout = min(timeout, max(0, left * 1000 + 1)) }
            } else if let left = item.upgrade.timeLeft() {
                timeout = min(timeout, max(0, left * 1000 + 1))
            }
        }
        if let connecting {
            var waits = fds.map { curl_waitfd(fd: $0.fd, events: Int16(CURL_WAIT_POLLIN), revents: 0) }
            _ = waits.withUnsafeMutableBufferPointer { b in
                curl_multi_poll(connecting.multi, b.baseAddress, UInt32(b.count), Int32(timeout), nil)
            }
        } else if !fds.isEmpty {
            while poll(&fds, nfds_t(fds.count), Int32(timeout)) < 0 && errno == EINTR {}
        }
    }
}
