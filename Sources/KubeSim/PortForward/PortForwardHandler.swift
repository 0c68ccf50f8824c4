import NIOCore
import NIOPosix
import NIOWebSocket

/// The kubelet's end of a port-forward WebSocket (`v4.channel.k8s.io`): for the i-th port,
/// channel 2i carries its bytes both ways and channel 2i+1 error text; each channel opens with
/// a frame holding the port (little-endian). Each port is a TCP connection to the address
/// `--forward` gives it; when every port is done, the WebSocket closes.
final class PortForwardHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private struct Port {
        let number: Int
        var target: Channel?
        var waiting: [ByteBuffer] = []
        var done = false
    }

    private let target: PortForwardTarget
    private let forwarding: PortForwarding
    private var ports: [Port]
    private var context: ChannelHandlerContext?
    private var closing = false

    init(target: PortForwardTarget, forwarding: PortForwarding) {
        self.target = target
        self.forwarding = forwarding
        ports = target.ports.map { Port(number: $0) }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        for (i, p) in ports.enumerated() {
            for channel in [2 * i, 2 * i + 1] {
                send(context, channel: channel, bytes: [UInt8(p.number & 0xFF), UInt8(p.number >> 8)])
            }
        }
        context.flush()
        for i in ports.indices { connect(context, i) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closeTargets()
        self.context = nil
    }

    private func connect(_ context: ChannelHandlerContext, _ i: Int) {
        guard let address = forwarding.address(namespace: target.namespace, pod: target.pod, port: ports[i].number) else {
            fail(i, target.refusedMessage(port: ports[i].number))
            return
        }
        let loop = context.eventLoop
        let me = NIOLoopBound(self, eventLoop: loop)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.addHandler(TargetHandler(owner: me.value, index: i))
                }
            }
            .connect(host: address.host, port: address.port)
            .whenComplete { result in
                let handler = me.value
                switch result {
                case .success(let ch): handler.connected(i, ch)
                case .failure: handler.fail(i, handler.target.refusedMessage(port: handler.ports[i].number))
                }
            }
    }

    private func connected(_ i: Int, _ ch: Channel) {
        guard !closing, !ports[i].done else {
            ch.close(promise: nil)
            return
        }
        ports[i].target = ch
        for b in ports[i].waiting { ch.write(b, promise: nil) }
        ports[i].waiting = []
        ch.flush()
        if let context, !context.channel.isWritable { ch.setOption(.autoRead, value: false).whenFailure { _ in } }
    }

    private func fail(_ i: Int, _ message: String) {
        if let context, !closing {
            send(context, channel: 2 * i + 1, bytes: Array(message.utf8))
            context.flush()
        }
        portDone(i)
    }

    private func portDone(_ i: Int) {
        guard !ports[i].done else { return }
        ports[i].done = true
        ports[i].target?.close(promise: nil)
        ports[i].target = nil
        if ports.allSatisfy(\.done) { closeWebSocket(code: .normalClosure) }
    }

    private func closeWebSocket(code: WebSocketErrorCode) {
        guard !closing, let context else { return }
        closing = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
            .whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        closeTargets()
    }

    private func closeTargets() {
        for i in ports.indices {
            ports[i].target?.close(promise: nil)
            ports[i].target = nil
        }
    }

    private func send(_ context: ChannelHandlerContext, channel: Int, bytes: [UInt8]) {
        var b = context.channel.allocator.buffer(capacity: bytes.count + 1)
        b.writeInteger(UInt8(channel))
        b.writeBytes(bytes)
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: b)), promise: nil)
    }

    // MARK: From the client

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary:
            var payload = frame.unmaskedData
            guard let channel = payload.readInteger(as: UInt8.self) else { return }
            let i = Int(channel) / 2
            // Bytes a client writes on an error channel mean nothing; the kubelet drops them too.
            guard channel % 2 == 0, i < ports.count, !ports[i].done, payload.readableBytes > 0 else { return }
            if let t = ports[i].target {
                t.writeAndFlush(payload, promise: nil)
            } else {
                ports[i].waiting.append(payload)
            }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            closeWebSocket(code: .normalClosure)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        closeTargets()
        context.fireChannelInactive()
    }

    /// Backpressure: while the client is slow, stop reading from the targets.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        for p in ports { p.target?.setOption(.autoRead, value: writable).whenFailure { _ in } }
        context.fireChannelWritabilityChanged()
    }

    // MARK: From the targets

    fileprivate func targetRead(_ i: Int, _ data: ByteBuffer) {
        guard let context, !closing else { return }
        var b = context.channel.allocator.buffer(capacity: data.readableBytes + 1)
        b.writeInteger(UInt8(2 * i))
        var data = data
        b.writeBuffer(&data)
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: b)), promise: nil)
    }

    fileprivate func targetReadComplete() { context?.flush() }

    fileprivate func targetClosed(_ i: Int) {
        context?.flush()
        portDone(i)
    }

    /// Backpressure the other way: while a target is slow, stop reading from the client.
    fileprivate func targetWritabilityChanged(_ writable: Bool) {
        context?.channel.setOption(.autoRead, value: writable).whenFailure { _ in }
    }
}

/// The TCP connection to one forwarded port's address.
private final class TargetHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let owner: PortForwardHandler
    private let index: Int

    init(owner: PortForwardHandler, index: Int) {
        self.owner = owner
        self.index = index
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        owner.targetRead(index, unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) { owner.targetReadComplete() }

    func channelInactive(context: ChannelHandlerContext) { owner.targetClosed(index) }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        owner.targetWritabilityChanged(context.channel.isWritable)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
