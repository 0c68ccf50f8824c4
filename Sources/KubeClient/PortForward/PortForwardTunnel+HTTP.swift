extension PortForwardTunnel {
    /// An HTTP/1.1 answer's status line and headers.
    public struct HTTPHead: Sendable {
        public var status: Int
        public var statusLine: String
        public var headers: [(name: String, value: String)]

        public func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.last { $0.name.lowercased() == lower }?.value
        }
    }

    /// How an HTTP exchange through the tunnel failed.
    public enum HTTPFailure: Error, Sendable {
        /// The kubelet could not reach the port (its error-channel text).
        case forwarding(String)
        /// The tunnel ended before the whole answer arrived.
        case truncated(received: Int, expected: Int?, lostConnection: Bool)
        /// The bytes that came back are not an HTTP/1.1 answer.
        case malformed(String)
        case tunnel(KubeError)

        public var message: String {
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

    /// Sends `GET target` (with `Connection: close`) through the tunnel, then hands the answer's
    /// head to `head` and its body, as it arrives, to `body` (chunked coding removed).
    /// Throws `HTTPFailure`, or whatever the callbacks throw.
    public func httpGet(_ target: String, host: String, userAgent: String,
                        head: (HTTPHead) throws -> Void, body: ([UInt8]) throws -> Void) throws {
        let request = "GET \(target) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: \(userAgent)\r\nAccept: */*\r\nConnection: close\r\n\r\n"
        do { try write(Array(request.utf8)) } catch { throw endFailure(received: 0, expected: nil, fallback: .tunnel(error)) }

        var pending: [UInt8] = []
        var parsedHead: HTTPHead?
        while parsedHead == nil {
            guard let chunk = try next() else { throw endFailure(received: 0, expected: nil, fallback: nil) }
            pending += chunk
            if let (h, length) = WebSocketHandshake.parseHead(pending) {
                guard h.statusLine.hasPrefix("HTTP/1.") else { throw HTTPFailure.malformed("status line \"\(h.statusLine.prefix(40))\"") }
                parsedHead = HTTPHead(status: h.status, statusLine: h.statusLine, headers: h.headers)
                pending.removeFirst(length)
            } else if pending.count > 1 << 20 {
                throw HTTPFailure.malformed("no end of headers in the first MiB")
            }
        }
        let h = parsedHead!
        try head(h)
        if h.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            try readChunked(pending, body)
            return
        }
        let expected = h.header("Content-Length").flatMap { Int($0.trimmingWhitespace) }
        var received = 0
        var data = pending
        while true {
            if let expected, received + data.count > expected { data = Array(data.prefix(expected - received)) }
            if !data.isEmpty {
                received += data.count
                try body(data)
            }
            if let expected, received >= expected { return }
            guard let more = try next() else {
                if expected == nil && !lostConnection && errorText.isEmpty { return }  // the answer ends with the connection
                throw endFailure(received: received, expected: expected, fallback: nil)
            }
            data = more
        }
    }

    private func next() throws(HTTPFailure) -> [UInt8]? {
        do { return try read() } catch { throw .tunnel(error) }
    }

    private func endFailure(received: Int, expected: Int?, fallback: HTTPFailure?) -> HTTPFailure {
        if !errorText.isEmpty { return .forwarding(errorText) }
        return fallback ?? .truncated(received: received, expected: expected, lostConnection: lostConnection)
    }

    private func readChunked(_ start: [UInt8], _ body: ([UInt8]) throws -> Void) throws {
        var buffer = start
        var received = 0
        func fill(_ count: Int) throws {
            while buffer.count < count {
                guard let more = try next() else { throw endFailure(received: received, expected: nil, fallback: nil) }
                buffer += more
            }
        }
        func line() throws -> String {
            while true {
                if let i = buffer.firstIndex(of: 10) {
                    let text = String(decoding: buffer[..<i], as: UTF8.self).trimmingWhitespace
                    buffer.removeFirst(i + 1)
                    return text
                }
                try fill(buffer.count + 1)
            }
        }
        while true {
            let sizeText = try line()
            guard let size = Int(sizeText.split(separator: ";").first.map(String.init) ?? "", radix: 16) else {
                throw HTTPFailure.malformed("bad chunk size \"\(sizeText.prefix(20))\"")
            }
            if size == 0 { return }
            var left = size
            while left > 0 {
                if buffer.isEmpty { try fill(1) }
                let n = min(left, buffer.count)
                try body(Array(buffer[..<n]))
                buffer.removeFirst(n)
                left -= n
                received += n
            }
            _ = try line()
        }
    }
}
