import NIOCore
import NIOHTTP1
import NIOSSL
import NIOWebSocket

/// Hands an HTTP/1.1 connection whose first request is an accepted `pods/portforward` WebSocket
/// upgrade to a `PortForwardHandler`. Everything else (other paths, refusals: missing pod,
/// no credentials, faults) stays with the ordinary handler, which answers it as the API does.
enum PortForwardUpgrade {
    static let protocols = ["v4.channel.k8s.io", "channel.k8s.io"]

    /// Only touched on the connection's event loop.
    private final class Accepted: @unchecked Sendable {
        var target: PortForwardTarget?
    }

    static func configuration(api: APIServer, forwarding: PortForwarding) -> NIOHTTPServerUpgradeSendableConfiguration {
        let accepted = Accepted()
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 16 << 20,
            automaticErrorHandling: true,
            shouldUpgrade: { channel, head in
                // A fault's delay holds the upgrade's answer as it holds any other.
                let (headers, delayMs) = shouldUpgrade(api: api, channel: channel, head: head, accepted: accepted)
                guard delayMs > 0 else { return channel.eventLoop.makeSucceededFuture(headers) }
                return channel.eventLoop.scheduleTask(in: .milliseconds(Int64(delayMs))) { headers }.futureResult
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    guard let target = accepted.target else { throw ChannelError.inappropriateOperationForState }
                    let ops = channel.pipeline.syncOperations
                    // The HTTP handler would take WebSocket bytes for requests.
                    if let http = try? ops.handler(type: HTTPConnectionHandler.self) { ops.removeHandler(http, promise: nil) }
                    try ops.addHandler(PortForwardHandler(target: target, forwarding: forwarding))
                }
            })
        return (upgraders: [upgrader], completionHandler: { _ in })
    }

    private static func shouldUpgrade(api: APIServer, channel: Channel, head: HTTPRequestHead, accepted: Accepted) -> (HTTPHeaders?, delayMs: Int) {
        guard head.uri.split(separator: "?", maxSplits: 1).first?.hasSuffix("/portforward") == true else { return (nil, 0) }
        var user: String?
        var groups: [String] = []
        if let ssl = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self), let cert = ssl.peerCertificate {
            user = cert.subjectName.first { $0.type == .commonName }?.value
            // The certificate's O entries are the user's groups (system:masters for the admin).
            groups = cert.subjectName.filter { $0.type == .organization }.map(\.value)
        }
        let started = Timestamp.monotonic()
        var req = APIRequest(method: head.method.rawValue, uri: head.uri, contentType: "", accept: "",
                             authorization: head.headers.first(name: "authorization"), body: [], certificateUser: user)
        req.certificateGroups = groups
        req.impersonation = Impersonation(headers: head.headers)
        let outcome = api.handle(req)
        guard case .portForward(let target) = outcome.reply else { return (nil, 0) }
        let offered = head.headers[canonicalForm: "sec-websocket-protocol"].map { String($0) }
        var headers = HTTPHeaders()
        if !offered.isEmpty {
            // As the kubelet: binary channels only; a client offering none of them is refused.
            guard let chosen = protocols.first(where: offered.contains) else { return (nil, 0) }
            headers.add(name: "Sec-WebSocket-Protocol", value: chosen)
        }
        accepted.target = target
        api.log.append(RequestLogEntry(method: req.method, path: req.path, query: req.rawQuery, contentType: "",
                                       user: outcome.user, status: 101, durationMs: (Timestamp.monotonic() - started) * 1000,
                                       startMs: started * 1000))
        return (headers, outcome.delayMs)
    }
}

/// Sits before the HTTP handler: NIO reports a declined WebSocket upgrade as an error, which would
/// close the connection before the API's answer (404, 401...) goes out.
final class DeclinedUpgradeFilter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if error is NIOWebSocketUpgradeError { return }
        context.fireErrorCaught(error)
    }
}
