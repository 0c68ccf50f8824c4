/// RFC 6455 framing (section 5): what one frame carries, and how it is written.
struct WebSocketFrame: Equatable, Sendable {
    enum Opcode: UInt8, Sendable {
        case continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA
        var isControl: Bool { rawValue & 0x8 != 0 }
    }

    var fin = true
    var opcode: Opcode
    var payload: [UInt8]

    /// The frame's header: FIN, opcode, the length in its shortest form and, for a client, the
    /// masking key (RFC 6455 5.2).
    static func header(opcode: Opcode, fin: Bool = true, length: Int, mask: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode.rawValue]
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        if length < 126 {
            out.append(maskBit | UInt8(length))
        } else if length <= 0xFFFF {
            out += [maskBit | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
        } else {
            out.append(maskBit | 127)
            for i in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: UInt64(length) >> (UInt64(i) * 8))) }
        }
        if let mask { out += mask }
        return out
    }

    /// The whole frame, masked with `mask` when given (every frame a client sends must be, 5.3).
    func encoded(mask: [UInt8]?) -> [UInt8] {
        var out = Self.header(opcode: opcode, fin: fin, length: payload.count, mask: mask)
        let start = out.count
        out += payload
        if let mask {
            out.withUnsafeMutableBytes { Self.applyMask(UnsafeMutableRawBufferPointer(rebasing: $0[start...]), key: mask) }
        }
        return out
    }

    /// XORs `bytes` with the 4-byte key, `offset` bytes into the payload (5.3); its own inverse.
    static func applyMask(_ bytes: UnsafeMutableRawBufferPointer, key: [UInt8], offset: Int = 0) {
        guard !bytes.isEmpty else { return }
        let k = (0..<8).map { key[($0 + offset) & 3] }
        var word: UInt64 = 0
        for i in (0..<8).reversed() { word = word << 8 | UInt64(k[i]) }  // little-endian order in memory
        var i = 0
        let n = bytes.count
        let base = bytes.baseAddress!
        while i + 8 <= n {
            let v = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            base.storeBytes(of: v ^ word, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            bytes[i] ^= k[i & 7]
            i += 1
        }
    }

    /// A fresh, unpredictable masking key (5.3 forbids guessable ones).
    static func randomMask() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        let v = g.next() as UInt32
        return [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }
}

/// Turns received bytes into whole messages: frames reassembled from fragments (5.4), control
/// frames (which may arrive between fragments) handed out as they come.
struct WebSocketFrameParser {
    struct ProtocolError: Error, Equatable {
        let message: String
    }

    /// A server must not mask its frames (5.1); unit tests of the RFC's masked examples allow it.
    var allowMasked = false
    var maxMessageSize = 64 << 20

    private var buffer: [UInt8] = []
    private var start = 0
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketFrame.Opcode?

    init(allowMasked: Bool = false) { self.allowMasked = allowMasked }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    /// The next complete message (data opcode and payload, FIN set), or a control frame; nil
    /// until enough bytes have arrived.
    mutating func next() throws(ProtocolError) -> WebSocketFrame? {
        while let frame = try nextFrame() {
            if frame.opcode.isControl {
                guard frame.fin, frame.payload.count <= 125 else {
                    throw ProtocolError(message: "a control frame was fragmented or longer than 125 bytes")
                }
                return frame
            }
            if frame.opcode == .continuation {
                guard let opcode = fragmentOpcode else { throw ProtocolError(message: "a continuation frame arrived with no message to continue") }
                fragments += frame.payload
                guard fragments.count <= maxMessageSize else { throw ProtocolError(message: "a message exceeded \(maxMessageSize) bytes") }
                if frame.fin {
                    defer { fragments = []; fragmentOpcode = nil }
                    return WebSocketFrame(fin: true, opcode: opcode, payload: fragments)
                }
                continue
            }
            guard fragmentOpcode == nil else { throw ProtocolError(message: "a new message started before the fragmented one ended") }
            if frame.fin { return frame }
            fragmentOpcode = frame.opcode
            fragments = frame.payload
        }
        return nil
    }

    private mutating func nextFrame() throws(ProtocolError) -> WebSocketFrame? {
        let available = buffer.count - start
        guard available >= 2 else { return nil }
        let b0 = buffer[start], b1 = buffer[start + 1]
        guard b0 & 0x70 == 0 else { throw ProtocolError(message: "a frame set reserved bits (no extension was negotiated)") }
        guard let opcode = WebSocketFrame.Opcode(rawValue: b0 & 0x0F) else {
            throw ProtocolError(message: "a frame has the unknown opcode \(b0 & 0x0F)")
        }
        let masked = b1 & 0x80 != 0
        if masked && !allowMasked { throw ProtocolError(message: "the server sent a masked frame") }
        var headerLength = 2
        var length = Int(b1 & 0x7F)
        if length == 126 {
            guard available >= 4 else { return nil }
            length = Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
            headerLength = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            var l: UInt64 = 0
            for i in 0..<8 { l = l << 8 | UInt64(buffer[start + 2 + i]) }
            guard l <= UInt64(maxMessageSize) else { throw ProtocolError(message: "a frame of \(l) bytes exceeds \(maxMessageSize)") }
            length = Int(l)
            headerLength = 10
        }
        if masked { headerLength += 4 }
        guard available >= headerLength + length else { return nil }
        var payload = Array(buffer[(start + headerLength)..<(start + headerLength + length)])
        if masked {
            let key = Array(buffer[(start + headerLength - 4)..<(start + headerLength)])
            payload.withUnsafeMutableBytes { WebSocketFrame.applyMask($0, key: key) }
        }
        start += headerLength + length
        return WebSocketFrame(fin: b0 & 0x80 != 0, opcode: opcode, payload: payload)
    }
}
