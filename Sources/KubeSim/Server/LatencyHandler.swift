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

    /// Events in arrival order; each release takes the oldest.
    private struct Queue<Event> {
        private var events: [Event] = []
        private var head = 0

        mutating func append(_ e: Event) { events.append(e) }

        mutating func removeFirst() -> Event? {
            guard head < events.count else { return nil }
            let e = events[head]
            head += 1
            if head == events.count {
                events.removeAll(keepingCapacity: true)
                head = 0
            }
            return e
        }
    }

    private let delay: TimeAmount
    private var inbound = Queue<Inbound>()
    private var outbound = Queue<Outbound>()

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
        later(context) { $0.releaseInbound($1) }
    }

    /// Runs `release` on the event loop after `delay`.
    private func later(_ context: ChannelHandlerContext, _ release: @escaping @Sendable (LatencyHandler, ChannelHandlerContext) -> Void) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = bound.value
            release(handler, context)
        }
    }

    private func releaseInbound(_ context: ChannelHandlerContext) {
        guard let event = inbound.removeFirst() else { return }
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
        later(context) { $0.releaseOutbound($1) }
    }

    private func releaseOutbound(_ context: ChannelHandlerContext) {
        guard let event = outbound.removeFirst() else { return }
        switch event {
        case .write(let data, let promise): context.write(data, promise: promise)
        case .flush: context.flush()
        case .close(let mode, let promise): context.close(mode: mode, promise: promise)
        }
    }
}
