import XCTest
@testable import KubeClient

/// Bytes from a pod's port or the API server, fed to the tunnel's push parsers: every length,
/// size and count in them is checked before use, so any input ends in a result or a one-line
/// error, never a trap.
final class TunnelParserFuzzTests: XCTestCase {
    static let httpSeeds: [String] = [
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
        "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\ninvalid path: /x\n",
        "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nhello",
    ]

    static let httpTokens = ["\r\n", "\r\n\r\n", "\n", "Content-Length: ", "Content-Length: -1\r\n", "Transfer-Encoding: chunked\r\n",
                             "-", "-5", "+5", " 5 ", "7fffffffffffffff", "ffffffffffffffff", "9223372036854775807",
                             "9223372036854775808", "0\r\n\r\n", ";", ":", "HTTP/1.1 ", "\u{0}", "\u{1B}[2J", "\u{FEFF}", "0x10"]

    /// One answer, fed in pieces: the body handed out is never more than it declared, and what
    /// stops it is an `HTTPFailure` whose message is one line.
    static func exerciseHTTP(_ pieces: [[UInt8]]) {
        var parser = HTTPAnswerParser()
        var delivered = 0
        var declared: Int?
        do {
            for p in pieces {
                let done = try parser.feed(p, head: { head in
                    declared = head.header("Transfer-Encoding") == nil ? try? head.contentLength() : nil
                }, body: { delivered += $0.count })
                if done { break }
            }
            XCTAssertEqual(parser.received, delivered)
            if let declared { XCTAssertLessThanOrEqual(delivered, declared) }
        } catch let failure as PortForwardTunnel.HTTPFailure {
            XCTAssertFalse(failure.message.isEmpty)
            XCTAssertFalse(failure.message.contains("\n"), failure.message)
            XCTAssertFalse(failure.message.contains("\r"), failure.message)
        } catch {
            XCTFail("unexpected \(error)")
        }
    }

    func testMutatedHTTPAnswersNeverCrash() {
        var m = ByteMutator(seed: 0x6874_7470, tokens: Self.httpTokens)
        for i in 0..<6000 {
            let input = m.mutated(Array(Self.httpSeeds[i % Self.httpSeeds.count].utf8))
            Self.exerciseHTTP(m.pieces(input))
        }
    }

    func testRandomBytesAsHTTPAnswersNeverCrash() {
        var m = ByteMutator(seed: 0x7261_6e64, tokens: Self.httpTokens)
        for i in 0..<3000 {
            let head = Array(Self.httpSeeds[i % 2].utf8.prefix(while: { $0 != 10 })) + [10]
            let tail = (0..<m.below(300)).map { _ in UInt8(truncatingIfNeeded: m.rng.next()) }
            Self.exerciseHTTP(m.pieces(head + Array("Transfer-Encoding: chunked\r\n\r\n".utf8) + tail))
            Self.exerciseHTTP(m.pieces(tail))
        }
    }

    private func httpFailure(_ answer: String) -> String? {
        var parser = HTTPAnswerParser()
        do {
            _ = try parser.feed(Array(answer.utf8), head: { _ in }, body: { _ in })
            return nil
        } catch {
            return (error as? PortForwardTunnel.HTTPFailure)?.message ?? "\(error)"
        }
    }

    func testBadLengthsAndSizesAreRefused() {
        XCTAssertEqual(httpFailure("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello"),
                       "the answer is not HTTP/1.1 (bad Content-Length \"-5\")")
        XCTAssertEqual(httpFailure("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"),
                       "the answer is not HTTP/1.1 (bad Content-Length \"99999999999999999999\")")
        XCTAssertEqual(httpFailure("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"),
                       "the answer is not HTTP/1.1 (bad Content-Length \"+5\")")
        XCTAssertEqual(httpFailure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello"),
                       "the answer is not HTTP/1.1 (bad chunk size \"-5\")")
        XCTAssertEqual(httpFailure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n"),
                       "the answer is not HTTP/1.1 (bad chunk size \"ffffffffffffffffff\")")
        XCTAssertEqual(httpFailure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\u{1B}]0;x\u{7}\r\n"),
                       "the answer is not HTTP/1.1 (bad chunk size \"\\e]0;x\\a\")")
        XCTAssertEqual(httpFailure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "0", count: 5000)),
                       "the answer is not HTTP/1.1 (a chunk-size line longer than 4096 bytes)")
        XCTAssertEqual(httpFailure("\u{1B}[31mHTTP/1.1 200 OK\r\n\r\n"),
                       "the answer is not HTTP/1.1 (status line \"\\e[31mHTTP/1.1 200 OK\")")
        // Still accepted: extensions, a long but valid size, a zero length.
        XCTAssertNil(httpFailure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\n\r\n"))
        XCTAssertNil(httpFailure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n00000000005\r\nhello\r\n0\r\n\r\n"))
        XCTAssertNil(httpFailure("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    }

    // MARK: WebSocket frames

    static let frameSeeds: [[UInt8]] = [
        WebSocketFrame(opcode: .binary, payload: [0, 0x98, 0x3A]).encoded(mask: nil),
        WebSocketFrame(opcode: .binary, payload: [0] + Array(repeating: 7, count: 300)).encoded(mask: nil),
        WebSocketFrame(opcode: .binary, payload: [1] + Array(repeating: 7, count: 70_000)).encoded(mask: nil),
        WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)).encoded(mask: nil)
            + WebSocketFrame(opcode: .ping, payload: [1]).encoded(mask: nil)
            + WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8)).encoded(mask: nil),
        WebSocketFrame(opcode: .close, payload: [3, 0xE8]).encoded(mask: [1, 2, 3, 4]),
        [0x82, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0],
        [0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0],
        [0x89, 0x7E, 0xFF, 0xFF],
    ]

    static let frameTokens = ["\u{7F}", "\u{7E}", "\u{FF}\u{FF}", "\u{0}\u{0}\u{0}\u{0}", "\u{80}", "\u{82}", "\u{0}", "\u{89}", "\u{88}"]

    static func exerciseFrames(_ pieces: [[UInt8]], allowMasked: Bool) {
        var parser = WebSocketFrameParser(allowMasked: allowMasked)
        do throws(WebSocketFrameParser.ProtocolError) {
            for p in pieces {
                parser.append(p)
                while let frame = try parser.next() {
                    XCTAssertLessThanOrEqual(frame.payload.count, parser.maxMessageSize)
                    if frame.opcode.isControl { XCTAssertLessThanOrEqual(frame.payload.count, 125) }
                }
            }
        } catch {
            XCTAssertFalse(error.message.isEmpty)
            XCTAssertFalse(error.message.contains("\n"))
        }
    }

    func testMutatedWebSocketFramesNeverCrash() {
        var m = ByteMutator(seed: 0x7773, tokens: Self.frameTokens)
        for i in 0..<6000 {
            let input = m.mutated(Self.frameSeeds[i % Self.frameSeeds.count])
            Self.exerciseFrames(m.pieces(input), allowMasked: i % 3 == 0)
        }
        for _ in 0..<3000 {
            let random = (0..<m.below(200)).map { _ in UInt8(truncatingIfNeeded: m.rng.next()) }
            Self.exerciseFrames(m.pieces(random), allowMasked: true)
        }
    }

    // MARK: The upgrade's answer

    private func upgrade(_ s: Scratch) throws -> WebSocketUpgrade {
        s.write(".kube/config", kubeconfigYAML())
        let client = try KubeClient(options: isolatedOptions(home: s.path))
        let request = try client.portForwardRequest(namespace: "ns", pod: "p", port: 15000)
        return try WebSocketUpgrade(client.transport, request, protocols: [PortForwardTunnel.subprotocol])
    }

    private static func take(_ u: inout WebSocketUpgrade, _ bytes: [UInt8]) throws(KubeError) -> [UInt8]? {
        var result: Result<[UInt8]?, KubeError> = .success(nil)
        bytes.withUnsafeBytes { b in
            result = Result { () throws(KubeError) -> [UInt8]? in try u.take(b) }
        }
        return try result.get()
    }

    static let upgradeSeeds = [
        "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"kind\":\"Status\"}   ",
        "HTTP/1.1 403 Forbidden\r\nContent-Length: -1\r\n\r\nno",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n",
        "HTTP/1.1 500 Internal Server Error\r\n\r\nboom",
        "HTTP/1.1 -200 OK\r\nContent-Length: 3\r\n\r\nabc",
    ]

    func testMutatedUpgradeAnswersNeverCrash() throws {
        let s = Scratch()
        let fresh = try upgrade(s)
        var m = ByteMutator(seed: 0x7570, tokens: Self.httpTokens)
        for i in 0..<3000 {
            var u = fresh
            let input = m.mutated(Array(Self.upgradeSeeds[i % Self.upgradeSeeds.count].utf8))
            do throws(KubeError) {
                for p in m.pieces(input) where try Self.take(&u, p) != nil { break }
                _ = u.ended()
            } catch {
                XCTAssertFalse(error.message.contains("\n"), error.message)
            }
        }
    }

    func testUpgradeRefusedWithANegativeLengthIsOneError() throws {
        let s = Scratch()
        var u = try upgrade(s)
        let answer = Array("HTTP/1.1 403 Forbidden\r\nContent-Length: -1\r\n\r\nno".utf8)
        do throws(KubeError) {
            _ = try Self.take(&u, answer)
            XCTFail("taken")
        } catch {
            XCTAssertEqual(error.message, "the API server at https://127.0.0.1:6443 answered the WebSocket upgrade for create pods/portforward p in namespace ns with \"HTTP/1.1 403 Forbidden\" and a bad Content-Length \"-1\"")
        }
    }
}
