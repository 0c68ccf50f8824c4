import NIOCore

/// A network `delay` away: first in an accepted connection's pipeline (before TLS), it holds
/// every inbound read and every outbound write for `delay`, so the TCP-level exchanges of a
/// TLS handshake and each request and response pay a one-way delay each, as across a real
/// network (a round trip costs 2 x delay). Order is kept in both directions, and so is the
/// order of a close or an end of stream relative to the data before it.
final class LatencyHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Inbound {
        case read(NIOAny)
        case readComplete
        case inactive
    }

    private enum Outbound {
        case write(NIOAny, EventLoopPromise<Void>?)
        case flush
        case close(CloseMode, EventLoopPromise<Void>?)
    }

    private let delay: TimeAmount
    private var inbound: [Inbound] = []
    private var inboundHead = 0
    private var outbound: [Outbound] = []
    private var outboundHead = 0

    init(delay: TimeAmount) { self.delay = delay }

    /// Puts a handler for `seconds` of one-way delay first in `channel`'s pipeline.
    static func install(on channel: Channel, seconds: Double) throws {
        guard seconds > 0 else { return }
        let handler = LatencyHandler(delay: .nanoseconds(Int64(seconds * 1e9)))
        try channel.pipeline.syncOperations.addHandler(handler, position: .first)
    }

    // MARK: Inbound: hold each event, then pass on the oldest one

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { hold(.read(data), context) }
    func channelReadComplete(context: ChannelHandlerContext) { hold(.readComplete, context) }
    func channelInactive(context: ChannelHandlerContext) { hold(.inactive, context) }

    private func hold(_ event: Inbound, _ context: ChannelHandlerContext) {
        inbound.append(event)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = bound.value
            handler.releaseInbound(context)
        }
    }

    private func releaseInbound(_ context: ChannelHandlerContext) {
        guard inboundHead < inbound.count else { return }
        let event = inbound[inboundHead]
        inboundHead += 1
        if inboundHead == inbound.count {
            inbound.removeAll(keepingCapacity: true)
            inboundHead = 0
        }
        switch event {
        case .read(let data): context.fireChannelRead(data)
        case .readComplete: context.fireChannelReadComplete()
        case .inactive: context.fireChannelInactive()
        }
    }

    // MARK: Outbound: the same, towards the socket

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        hold(.write(data, promise), context)
    }

    func flush(context: ChannelHandlerContext) { hold(.flush, context) }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        hold(.close(mode, promise), context)
    }

    private func hold(_ event: Outbound, _ context: ChannelHandlerContext) {
        outbound.append(event)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = bound.value
            handler.releaseOutbound(context)
        }
    }

    private func releaseOutbound(_ context: ChannelHandlerContext) {
        guard outboundHead < outbound.count else { return }
        let event = outbound[outboundHead]
        outboundHead += 1
        if outboundHead == outbound.count {
            outbound.removeAll(keepingCapacity: true)
            outboundHead = 0
        }
        switch event {
        case .write(let data, let promise): context.write(data, promise: promise)
        case .flush: context.flush()
        case .close(let mode, let promise): context.close(mode: mode, promise: promise)
        }
    }
}
