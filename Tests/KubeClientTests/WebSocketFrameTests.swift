import XCTest
import ObjectModel
@testable import KubeClient

/// RFC 6455 framing against the RFC's own examples (section 5.7) and handshake key (section 1.3).
final class WebSocketFrameTests: XCTestCase {
    private func parse(_ bytes: [UInt8], allowMasked: Bool = false) throws -> [WebSocketFrame] {
        var p = WebSocketFrameParser(allowMasked: allowMasked)
        p.append(bytes)
        var out: [WebSocketFrame] = []
        while let f = try p.next() { out.append(f) }
        return out
    }

    func testSingleFrameUnmaskedTextMessage() throws {
        let wire: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]
        XCTAssertEqual(WebSocketFrame(opcode: .text, payload: Array("Hello".utf8)).encoded(mask: nil), wire)
        XCTAssertEqual(try parse(wire), [WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))])
    }

    func testSingleFrameMaskedTextMessage() throws {
        let wire: [UInt8] = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        XCTAssertEqual(WebSocketFrame(opcode: .text, payload: Array("Hello".utf8)).encoded(mask: [0x37, 0xfa, 0x21, 0x3d]), wire)
        XCTAssertEqual(try parse(wire, allowMasked: true), [WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))])
        // A client must refuse masked frames from a server (5.1).
        XCTAssertThrowsError(try parse(wire))
    }

    func testFragmentedUnmaskedTextMessage() throws {
        let wire: [UInt8] = [0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f]
        XCTAssertEqual(try parse(wire), [WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))])
        // A ping between the fragments is handed out at once, the message when it is whole.
        let interleaved: [UInt8] = [0x01, 0x03, 0x48, 0x65, 0x6c, 0x89, 0x00, 0x80, 0x02, 0x6c, 0x6f]
        XCTAssertEqual(try parse(interleaved), [WebSocketFrame(opcode: .ping, payload: []),
                                                WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))])
    }

    func testUnmaskedPingAndMaskedPong() throws {
        let ping: [UInt8] = [0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]
        let pong: [UInt8] = [0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        XCTAssertEqual(try parse(ping), [WebSocketFrame(opcode: .ping, payload: Array("Hello".utf8))])
        XCTAssertEqual(WebSocketFrame(opcode: .pong, payload: Array("Hello".utf8)).encoded(mask: [0x37, 0xfa, 0x21, 0x3d]), pong)
        XCTAssertEqual(try parse(pong, allowMasked: true), [WebSocketFrame(opcode: .pong, payload: Array("Hello".utf8))])
    }

    func testLengthsOf256BytesAnd64KiB() throws {
        let small = [UInt8](repeating: 0xAB, count: 256)
        let smallWire = WebSocketFrame(opcode: .binary, payload: small).encoded(mask: nil)
        XCTAssertEqual(Array(smallWire.prefix(4)), [0x82, 0x7E, 0x01, 0x00])
        XCTAssertEqual(try parse(smallWire), [WebSocketFrame(opcode: .binary, payload: small)])

        let big = (0..<65536).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let bigWire = WebSocketFrame(opcode: .binary, payload: big).encoded(mask: nil)
        XCTAssertEqual(Array(bigWire.prefix(10)), [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0])
        XCTAssertEqual(bigWire.count, 65536 + 10)
        // Delivered a byte at a time, it still comes out whole, once.
        var p = WebSocketFrameParser()
        var frames: [WebSocketFrame] = []
        for chunk in stride(from: 0, to: bigWire.count, by: 4093) {
            p.append(Array(bigWire[chunk..<min(chunk + 4093, bigWire.count)]))
            while let f = try p.next() { frames.append(f) }
        }
        XCTAssertEqual(frames, [WebSocketFrame(opcode: .binary, payload: big)])
    }

    func testMaskingIsItsOwnInverseAtEveryOffset() {
        let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        let original = (0..<1003).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for offset in 0..<4 {
            var data = original
            data.withUnsafeMutableBytes { WebSocketFrame.applyMask($0, key: key, offset: offset) }
            for i in [0, 1, 7, 8, 9, 1002] { XCTAssertEqual(data[i], original[i] ^ key[(i + offset) & 3]) }
            data.withUnsafeMutableBytes { WebSocketFrame.applyMask($0, key: key, offset: offset) }
            XCTAssertEqual(data, original)
        }
    }

    func testProtocolViolationsAreRefused() {
        XCTAssertThrowsError(try parse([0xC2, 0x00]), "reserved bit set")
        XCTAssertThrowsError(try parse([0x83, 0x00]), "unknown opcode 3")
        XCTAssertThrowsError(try parse([0x09, 0x00]), "fragmented ping")
        XCTAssertThrowsError(try parse([0x80, 0x00]), "continuation without a message")
        XCTAssertThrowsError(try parse([0x01, 0x01, 0x41, 0x01, 0x01, 0x42]), "a new message inside a fragmented one")
        var long: [UInt8] = [0x89, 0x7E, 0x00, 0x7E]
        long += [UInt8](repeating: 0, count: 126)
        XCTAssertThrowsError(try parse(long), "a ping longer than 125 bytes")
    }

    func testHandshakeAcceptKeyFromTheRFC() {
        XCTAssertEqual(WebSocketHandshake.accept(forKey: "dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        // FIPS 180 test vectors.
        XCTAssertEqual(Base16.encode(SHA1.hash(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(Base16.encode(SHA1.hash([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(Base16.encode(SHA1.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        let key = WebSocketHandshake.makeKey()
        XCTAssertEqual(Base64.decode(key)?.count, 16)
        XCTAssertNotEqual(key, WebSocketHandshake.makeKey())
    }

    func testHandshakeAnswerIsChecked() throws {
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        let good = Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n\u{2}\u{0}".utf8)
        let (head, length) = try XCTUnwrap(WebSocketHandshake.parseHead(good))
        XCTAssertEqual(head.status, 101)
        XCTAssertEqual(length, good.count - 2, "bytes after the head belong to the WebSocket")
        XCTAssertNil(WebSocketHandshake.problem(with: head, key: key, protocols: ["v4.channel.k8s.io"]))
        XCTAssertNotNil(WebSocketHandshake.problem(with: head, key: "AAAAAAAAAAAAAAAAAAAAAA==", protocols: ["v4.channel.k8s.io"]))
        XCTAssertNotNil(WebSocketHandshake.problem(with: head, key: key, protocols: ["v5.channel.k8s.io"]))
        XCTAssertNil(WebSocketHandshake.parseHead(Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n".utf8)))
    }
}

private enum Base16 {
    static func encode(_ bytes: [UInt8]) -> String {
        bytes.map { b in let s = String(b, radix: 16); return s.count == 1 ? "0" + s : s }.joined()
    }
}
