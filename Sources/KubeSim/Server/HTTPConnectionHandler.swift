import NIOCore
import NIOHTTP1
import NIOSSL
import ObjectModel

/// One client connection: gathers each HTTP request, asks the `APIServer`, writes the reply
/// (after an injected delay, if any), streams watches, and logs what was actually sent.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: APIServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var started = 0.0
    private var certificateUser: (name: String, groups: [String])??
    private var watcherID: Int?
    private var watchTimeout: Scheduled<Void>?

    /// The TCP connection, whose pipeline holds TLS: this handler's own channel over HTTP/1.1,
    /// the parent of its stream channel over HTTP/2.
    private let connection: Channel

    init(server: APIServer, connection: Channel) {
        self.server = server
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
            started = Timestamp.monotonic()
            // libcurl waits a full second for this before sending a large body.
            if h.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: .continue))), promise: nil)
            }
        case .body(var buf):
            if let bytes = buf.readBytes(length: buf.readableBytes) { body += bytes }
        case .end:
            guard let h = head else { return }
            head = nil
            respond(context: context, head: h)
        }
    }

    private func peerUser(_ context: ChannelHandlerContext) -> (name: String, groups: [String])? {
        if let cached = certificateUser { return cached }
        var user: (name: String, groups: [String])?
        if connection.eventLoop.inEventLoop,
           let ssl = try? connection.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
           let cert = ssl.peerCertificate,
           let cn = cert.subjectName.first(where: { $0.type == .commonName })?.value {
            user = (cn, cert.subjectName.filter { $0.type == .organization }.map(\.value))
        }
        certificateUser = .some(user)
        return user
    }

    private func respond(context: ChannelHandlerContext, head h: HTTPRequestHead) {
        let peer = peerUser(context)
        var req = APIRequest(
            method: h.method.rawValue, uri: h.uri,
            contentType: h.headers.first(name: "content-type") ?? "",
            accept: h.headers.first(name: "accept") ?? "",
            authorization: h.headers.first(name: "authorization"),
            body: body, certificateUser: peer?.name)
        req.certificateGroups = peer?.groups ?? []
        req.impersonation = Impersonation(headers: h.headers)
        req.userAgent = h.headers.first(name: "user-agent") ?? ""
        body = []
        let outcome = server.handle(req)
        // HTTP/2 has no keep-alive to negotiate (nor a Connection header): a stream ends with its
        // response and the connection stays.
        let keepAlive = h.version.major >= 2 || h.isKeepAlive
        if outcome.delayMs > 0 {
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let request = req  // a constant: the delayed send may not capture a var
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(outcome.delayMs))) {
                let (handler, ctx) = bound.value
                handler.send(context: ctx, req: request, outcome: outcome, version: h.version, keepAlive: keepAlive)
            }
        } else {
            send(context: context, req: req, outcome: outcome, version: h.version, keepAlive: keepAlive)
        }
    }

    private func logEntry(_ req: APIRequest, _ user: String, _ status: Int) {
        server.log.append(RequestLogEntry(
            method: req.method, path: req.path, query: req.rawQuery, contentType: req.contentType, user: user,
            status: status, durationMs: (Timestamp.monotonic() - started) * 1000, startMs: started * 1000))
    }

    private func send(context: ChannelHandlerContext, req: APIRequest, outcome: APIServer.Outcome,
                      version: HTTPVersion, keepAlive: Bool) {
        switch outcome.reply {
        case .drop:
            logEntry(req, outcome.user, 0)
            // The whole connection, over HTTP/2 too (not just this request's stream).
            connection.close(promise: nil)
        case .response(let status, let headers, let bytes):
            // Logged before the answer leaves, so a client that has its answer also finds it in the log.
            logEntry(req, outcome.user, status)
            var hs = HTTPHeaders()
            for (k, v) in headers { hs.add(name: k, value: v) }
            hs.add(name: "Content-Length", value: String(bytes.count))
            hs.add(name: "Cache-Control", value: "no-cache, private")
            if !keepAlive { hs.add(name: "Connection", value: "close") }
            let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: hs)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            var buf = context.channel.allocator.buffer(capacity: bytes.count)
            buf.writeBytes(bytes)
            context.write(wrapOutboundOut(.body(.byteBuffer(buf))), promise: nil)
            if keepAlive {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
                    channel.close(promise: nil)
                }
            }
        case .portForward:
            // Only a WebSocket upgrade (a connection's first request) reaches the tunnel.
            var refused = outcome
            refused.reply = .error(.badRequest("Upgrade request required"))
            send(context: context, req: req, outcome: refused, version: version, keepAlive: keepAlive)
        case .watch(let w):
            logEntry(req, outcome.user, 200)
            startWatch(context: context, w, version: version)
        }
    }

    private func startWatch(context: ChannelHandlerContext, _ w: WatchRequest, version: HTTPVersion) {
        var hs = HTTPHeaders()
        hs.add(name: "Content-Type", value: "application/json")
        hs.add(name: "Transfer-Encoding", value: "chunked")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: hs))), promise: nil)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let server = self.server
        let t = w.type
        func eventLine(_ type: String, _ object: JSONValue) -> [UInt8] {
            let ev: JSONValue = ["type": .string(type), "object": object]
            var bytes = ev.jsonBytes()
            bytes.append(0x0A)
            return bytes
        }
        let watcher = Cluster.Watcher(storageKey: t.storageKey, namespace: w.namespace, labels: w.labels, fields: w.fields) { event, object in
            var v = object
            if v["apiVersion"]?.stringValue != t.groupVersion { v["apiVersion"] = .string(t.groupVersion) }
            if w.table {
                let rv = Int(v[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
                v = TablePrinter.table(t, [StoredObject(v)], resourceVersion: rv)
            }
            let line = eventLine(event, v)
            loop.execute {
                let (handler, ctx) = bound.value
                guard handler.watcherID != nil else { return }
                var buf = ctx.channel.allocator.buffer(capacity: line.count)
                buf.writeBytes(line)
                ctx.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(buf))), promise: nil)
            }
        }
        switch server.cluster.addWatcher(watcher, sinceResourceVersion: w.sinceResourceVersion) {
        case .started(let id): watcherID = id
        case .expired(let status):
            let line = eventLine("ERROR", status)
            var buf = context.channel.allocator.buffer(capacity: line.count)
            buf.writeBytes(line)
            context.write(wrapOutboundOut(.body(.byteBuffer(buf))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        watchTimeout = loop.scheduleTask(in: .seconds(Int64(max(1, w.timeoutSeconds)))) {
            let (handler, ctx) = bound.value
            handler.endWatch()
            ctx.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func endWatch() {
        if let id = watcherID { server.cluster.removeWatcher(id) }
        watcherID = nil
        watchTimeout?.cancel()
        watchTimeout = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        endWatch()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        endWatch()
        context.close(promise: nil)
    }
}
