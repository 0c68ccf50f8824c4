#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

/// One port of one pod, forwarded through the API server's `pods/portforward` subresource over a
/// WebSocket of its own, in the protocol kubelets serve (`v4.channel.k8s.io`): channel 0 carries
/// the port's bytes both ways, channel 1 the kubelet's error text, and each channel opens with
/// a frame holding the port number (little-endian). Used by one thread at a time.
package final class PortForwardTunnel: @unchecked Sendable {
    package static let subprotocol = "v4.channel.k8s.io"

    package let namespace: String
    package let pod: String
    package let port: Int
    /// The client's User-Agent, sent with `httpGet` inside the tunnel too.
    let userAgent: String

    package enum ReadResult: Equatable {
        case data([UInt8])
        /// Nothing buffered: wait for `fileDescriptor` to be readable.
        case wouldBlock
        /// The tunnel has ended; see `errorText` and `lostConnection`.
        case end
    }

    /// What the kubelet wrote on the error channel (nothing listening on the port, pod gone...),
    /// control characters escaped.
    package private(set) var errorText = ""
    /// The connection ended without a WebSocket close: the API server or the network dropped it.
    package private(set) var lostConnection = false

    /// Seconds the pod's port may stay silent (no data on either channel) before a read gives up:
    /// the client's request timeout, nil for none. An idle bound, so an answer that keeps
    /// flowing is never cut short.
    package let idleTimeout: Double?
    /// When data last arrived on a channel (or the tunnel opened), on `Clock.monotonic`'s scale.
    package private(set) var lastData = Clock.monotonic()
    /// Whether any data arrived on the port's channel.
    package private(set) var anyData = false

    private let connection: CurlConnection
    private var parser = WebSocketFrameParser()
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 8)
    private var queue: [[UInt8]] = []
    private var queueHead = 0
    private var channelOpened = [false, false]
    private var ended = false
    private var closeSent = false
    private var protocolProblem: String?
    /// Bytes received on the error channel; the kubelet's text is a line or two.
    private var errorBytes = 0
    package static let maxErrorText = 64 << 10
    private var errorChannelOverflow = false

    init(connection: CurlConnection, namespace: String, pod: String, port: Int, leftover: [UInt8], idleTimeout: Double?,
         userAgent: String) {
        self.connection = connection
        self.userAgent = userAgent
        self.idleTimeout = idleTimeout.flatMap { $0 > 0 ? $0 : nil }
        self.namespace = namespace
        self.pod = pod
        self.port = port
        parser.append(leftover)
    }

    deinit {
        close()
        buffer.deallocate()
    }

    /// The socket to poll for readability (after `readAvailable` said `.wouldBlock`).
    package var fileDescriptor: Int32 { connection.socket }

    // MARK: Writing

    /// Sends bytes to the pod's port, in frames of at most 1 MiB (channel byte first, masked).
    package func write(_ bytes: UnsafeRawBufferPointer) throws(KubeError) {
        var off = 0
        repeat {
            let n = min(bytes.count - off, 1 << 20)
            let mask = WebSocketFrame.randomMask()
            var frame = WebSocketFrame.header(opcode: .binary, length: n + 1, mask: mask)
            let start = frame.count
            frame.reserveCapacity(start + n + 1)
            frame.append(0)
            if n > 0 { frame.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[off..<(off + n)])) }
            frame.withUnsafeMutableBytes { WebSocketFrame.applyMask(UnsafeMutableRawBufferPointer(rebasing: $0[start...]), key: mask) }
            try send(frame)
            off += n
        } while off < bytes.count
    }

    package func write(_ bytes: [UInt8]) throws(KubeError) {
        var failure: KubeError?
        bytes.withUnsafeBytes { b in
            do throws(KubeError) { try write(b) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func send(_ frame: [UInt8]) throws(KubeError) {
        do {
            try connection.sendAll(frame)
        } catch {
            ended = true
            lostConnection = true
            throw KubeError(.connection, "lost connection to pod \(pod) in namespace \(namespace) while sending to port \(port) (\(error.message))")
        }
    }

    private func sendControl(_ opcode: WebSocketFrame.Opcode, _ payload: [UInt8]) {
        let frame = WebSocketFrame(opcode: opcode, payload: payload).encoded(mask: WebSocketFrame.randomMask())
        try? connection.sendAll(frame)
    }

    // MARK: Reading

    /// The next bytes from the pod's port without waiting, `.wouldBlock`, or `.end`.
    /// Throws when the WebSocket protocol itself is broken.
    package func readAvailable() throws(KubeError) -> ReadResult {
        while true {
            if queueHead < queue.count {
                let chunk = queue[queueHead]
                queueHead += 1
                if queueHead == queue.count { queue.removeAll(keepingCapacity: true); queueHead = 0 }
                return .data(chunk)
            }
            if errorChannelOverflow {
                throw KubeError(.protocolError, "the port-forward tunnel to pod \(pod) in namespace \(namespace) carried more than \(Self.maxErrorText >> 10) KiB on its error channel, far more than any kubelet's error text")
            }
            if let problem = protocolProblem {
                throw KubeError(.protocolError, "the port-forward tunnel to pod \(pod) in namespace \(namespace) broke the WebSocket protocol: \(problem)")
            }
            if ended { return .end }
            if try takeFrames() { continue }
            switch connection.receive(into: buffer) {
            case .bytes(let n):
                parser.append(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            case .again:
                return .wouldBlock
            case .closed, .failed:
                ended = true
                lostConnection = true
            }
        }
    }

    /// The next bytes, waiting for them; nil once the tunnel has ended. Throws a `.timeout`
    /// error once the port has been silent for `idleTimeout`.
    package func read() throws(KubeError) -> [UInt8]? {
        while true {
            switch try readAvailable() {
            case .data(let d): return d
            case .end: return nil
            case .wouldBlock:
                var wait: Int32 = -1
                if let left = idleTimeLeft() {
                    if left <= 0 { throw stalled() }
                    wait = Int32(min(left * 1000 + 1, 60_000))
                }
                _ = connection.wait(for: Int16(POLLIN), milliseconds: wait)
            }
        }
    }

    /// Seconds before the silence reaches `idleTimeout`, nil without one.
    package func idleTimeLeft() -> Double? {
        idleTimeout.map { lastData + $0 - Clock.monotonic() }
    }

    /// The error for a port silent for `idleTimeout`: no answer at all, or one that stopped.
    package func stalled() -> KubeError {
        let limit = GoDuration(seconds: idleTimeout ?? 0)
        let what = anyData ? "the answer from pod \(pod) in namespace \(namespace) on port \(port) stalled" : "no answer from pod \(pod) in namespace \(namespace) on port \(port)"
        return KubeError(.timeout, "\(what) for \(limit) (the request timeout; see --request-timeout)")
    }

    /// Handles the frames already received; true when any was.
    private func takeFrames() throws(KubeError) -> Bool {
        var any = false
        while true {
            let frame: WebSocketFrame?
            do { frame = try parser.next() } catch {
                protocolProblem = error.message
                return true
            }
            guard let frame else { return any }
            any = true
            switch frame.opcode {
            case .binary:
                take(frame.payload)
            case .text:
                protocolProblem = "a text frame arrived on a binary channel protocol"
                return true
            case .ping:
                sendControl(.pong, frame.payload)
            case .pong, .continuation:
                break
            case .close:
                if !closeSent {
                    closeSent = true
                    sendControl(.close, Array(frame.payload.prefix(2)))
                }
                ended = true
                return true
            }
        }
    }

    private func take(_ payload: [UInt8]) {
        guard let channel = payload.first else {
            protocolProblem = "a frame without a channel byte"
            return
        }
        guard channel <= 1 else {
            protocolProblem = "a frame on channel \(channel), but only port \(port) was asked for"
            return
        }
        if !channelOpened[Int(channel)] {
            guard payload.count == 3 else {
                protocolProblem = "the first frame of channel \(channel) is \(payload.count) bytes, not 3 (channel and port)"
                return
            }
            let announced = Int(payload[1]) | Int(payload[2]) << 8
            guard announced == port else {
                protocolProblem = "channel \(channel) opened for port \(announced), not \(port)"
                return
            }
            channelOpened[Int(channel)] = true
            return
        }
        if payload.count > 1 { lastData = Clock.monotonic() }
        if channel == 0 {
            if payload.count > 1 {
                anyData = true
                queue.append(Array(payload[1...]))
            }
        } else {
            errorBytes += payload.count - 1
            guard errorBytes <= Self.maxErrorText else {
                errorChannelOverflow = true
                return
            }
            errorText += ServerText.printable(String(decoding: payload[1...], as: UTF8.self))
        }
    }

    /// Ends the tunnel: a close frame (1000, normal closure), then the connection goes.
    package func close() {
        if !closeSent && !lostConnection {
            closeSent = true
            sendControl(.close, [0x03, 0xE8])
        }
        ended = true
        connection.close()
    }
}
