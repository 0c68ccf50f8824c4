extension PortForwardTunnel {
    /// An HTTP/1.1 answer's status line and headers.
    package typealias HTTPHead = WebSocketHandshake.ResponseHead

    /// How an HTTP exchange through the tunnel failed.
    package enum HTTPFailure: Error, Sendable {
        /// The kubelet could not reach the port (its error-channel text).
        case forwarding(String)
        /// The tunnel ended before the whole answer arrived.
        case truncated(received: Int, expected: Int?, lostConnection: Bool)
        /// The bytes that came back are not an HTTP/1.1 answer.
        case malformed(String)
        case tunnel(KubeError)

        package var message: String {
            switch self {
            case .forwarding(let text): return text
            case .truncated(let received, let expected, let lost):
                let how = lost ? "the connection to the API server was lost" : "the tunnel closed"
                if let expected { return "\(how) after \(received) of \(expected) bytes of the answer" }
                return "\(how) after \(received) bytes of the answer, before its end"
            case .malformed(let why): return "the answer is not HTTP/1.1 (\(why))"
            case .tunnel(let e): return e.message
            }
        }
    }

    /// The request `httpGet` sends: `GET target` with `Connection: close`; a space or control
    /// byte in `target` goes as `%XX`, never raw.
    static func httpGetRequest(_ target: String, host: String, userAgent: String) -> [UInt8] {
        Array("GET \(target.withLineBreakersEscaped) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: \(userAgent)\r\nAccept: */*\r\nConnection: close\r\n\r\n".utf8)
    }

    /// Sends `GET target` (with `Connection: close`) through the tunnel, then hands the answer's
    /// head to `head` and its body, as it arrives, to `body` (chunked coding removed).
    /// Throws `HTTPFailure`, or whatever the callbacks throw.
    package func httpGet(_ target: String, host: String,
                        head: (HTTPHead) throws -> Void, body: ([UInt8]) throws -> Void) throws {
        do { try write(Self.httpGetRequest(target, host: host, userAgent: self.userAgent)) } catch {
            throw httpEndFailure(received: 0, expected: nil, fallback: .tunnel(error))
        }
        var answer = HTTPAnswerParser()
        while true {
            let chunk: [UInt8]?
            do { chunk = try read() } catch { throw HTTPFailure.tunnel(error) }
            guard let chunk else {
                if let failure = answer.failureAtEnd(self) { throw failure }
                return
            }
            if try answer.feed(chunk, head: head, body: body) { return }
        }
    }

    /// Why the answer could not be read to its end: the kubelet's error text first.
    func httpEndFailure(received: Int, expected: Int?, fallback: HTTPFailure?) -> HTTPFailure {
        if !errorText.isEmpty { return .forwarding(errorText) }
        return fallback ?? .truncated(received: received, expected: expected, lostConnection: lostConnection)
    }
}

/// Reads an HTTP/1.1 answer from bytes pushed as they arrive: its head, then its body by
/// Content-Length, chunked coding (removed) or up to the end of the stream.
struct HTTPAnswerParser {
    private enum Body {
        case length(Int)
        case chunked
        case untilEnd
    }

    private var pending: [UInt8] = []
    private var body: Body?
    /// Body bytes handed out so far.
    private(set) var received = 0
    private(set) var complete = false
    /// Chunked coding: bytes left in the current chunk, or nil when a size line comes next.
    private var chunkLeft: Int?
    private var chunkTrailerLine = false

    /// Takes the next bytes; true once the answer is complete (later bytes are ignored).
    mutating func feed(_ bytes: [UInt8], head: (PortForwardTunnel.HTTPHead) throws -> Void,
                       body deliver: ([UInt8]) throws -> Void) throws -> Bool {
        if complete { return true }
        pending += bytes
        if body == nil {
            guard let (h, length) = WebSocketHandshake.parseHead(pending) else {
                if pending.count > 1 << 20 { throw PortForwardTunnel.HTTPFailure.malformed("no end of headers in the first MiB") }
                return false
            }
            guard h.statusLine.hasPrefix("HTTP/1.") else {
                throw PortForwardTunnel.HTTPFailure.malformed("status line \"\(ServerText.printable(String(h.statusLine.prefix(40))))\"")
            }
            let parsed = h  // the head this answer starts with
            pending.removeFirst(length)
            if parsed.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
                body = .chunked
            } else if let expected = try Self.declaredLength(parsed) {
                body = .length(expected)
            } else {
                body = .untilEnd
            }
            try head(parsed)
        }
        switch body! {
        case .length(let expected):
            var data = pending
            pending = []
            if received + data.count > expected { data = Array(data.prefix(expected - received)) }
            if !data.isEmpty {
                received += data.count
                try deliver(data)
            }
            complete = received >= expected
        case .untilEnd:
            let data = pending
            pending = []
            if !data.isEmpty {
                received += data.count
                try deliver(data)
            }
        case .chunked:
            try takeChunks(deliver)
        }
        return complete
    }

    /// The answer's Content-Length, refused when it is not a byte count.
    private static func declaredLength(_ head: PortForwardTunnel.HTTPHead) throws(PortForwardTunnel.HTTPFailure) -> Int? {
        do { return try head.contentLength() } catch { throw .malformed(error.message) }
    }

    /// Go's limit on a chunk-size line (net/http/internal's maxLineLength).
    static let maxChunkLine = 4096

    /// The next line of the chunked coding without its LF, nil until it has arrived; refused
    /// once it runs past `maxChunkLine` without one.
    private mutating func chunkLine() throws(PortForwardTunnel.HTTPFailure) -> ArraySlice<UInt8>? {
        guard let i = pending.prefix(Self.maxChunkLine + 1).firstIndex(of: 10) else {
            if pending.count > Self.maxChunkLine { throw .malformed("a chunk-size line longer than \(Self.maxChunkLine) bytes") }
            return nil
        }
        let line = pending[..<i]
        pending.removeFirst(i + 1)
        return line
    }

    private mutating func takeChunks(_ deliver: ([UInt8]) throws -> Void) throws {
        while !complete {
            if let left = chunkLeft {
                if left == 0 {
                    // The line ending the chunk's data.
                    guard try chunkLine() != nil else { return }
                    chunkLeft = nil
                    continue
                }
                guard !pending.isEmpty else { return }
                let n = min(left, pending.count)
                try deliver(Array(pending[..<n]))
                pending.removeFirst(n)
                chunkLeft = left - n
                received += n
                continue
            }
            guard let line = try chunkLine() else { return }
            let sizeText = String(decoding: line, as: UTF8.self).trimmingWhitespace
            // Hex digits only, at most 15 (so the size fits Int): no sign, no overflow.
            let digits = sizeText.split(separator: ";", omittingEmptySubsequences: false).first.map { String($0).trimmingWhitespace } ?? ""
            guard let size = WebSocketHandshake.ResponseHead.count(digits, radix: 16, maxDigits: 15) else {
                throw PortForwardTunnel.HTTPFailure.malformed("bad chunk size \"\(ServerText.printable(String(sizeText.prefix(20))))\"")
            }
            if size == 0 { complete = true; return }
            chunkLeft = size
        }
    }

    /// At the end of the stream: nil when the answer is whole (complete, or one that ends with
    /// the connection and the tunnel ended cleanly), else why not.
    func failureAtEnd(_ tunnel: PortForwardTunnel) -> PortForwardTunnel.HTTPFailure? {
        if complete { return nil }
        guard let body else { return tunnel.httpEndFailure(received: 0, expected: nil, fallback: nil) }
        switch body {
        case .length(let expected):
            return tunnel.httpEndFailure(received: received, expected: expected, fallback: nil)
        case .chunked:
            return tunnel.httpEndFailure(received: received, expected: nil, fallback: nil)
        case .untilEnd:
            if !tunnel.lostConnection && tunnel.errorText.isEmpty { return nil }  // the answer ends with the connection
            return tunnel.httpEndFailure(received: received, expected: nil, fallback: nil)
        }
    }
}
