import ObjectModel
/// The client's side of the opening handshake (RFC 6455 4.1), over HTTP/1.1.
package enum WebSocketHandshake {
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// A fresh `Sec-WebSocket-Key`: 16 random bytes, base64.
    static func makeKey() -> String {
        var g = SystemRandomNumberGenerator()
        return Base64.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &g) })
    }

    /// The `Sec-WebSocket-Accept` a server must answer `key` with.
    static func accept(forKey key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + guid).utf8)))
    }

    static func requestHeaders(key: String, protocols: [String]) -> [(String, String)] {
        var h: [(String, String)] = [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13"),
        ]
        if !protocols.isEmpty { h.append(("Sec-WebSocket-Protocol", protocols.joined(separator: ", "))) }
        return h
    }

    static func request(method: String = "GET", target: String, host: String, headers: [(String, String)]) -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        for (k, v) in headers where k.lowercased() != "host" { text += "\(k): \(v)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// A response's status line and headers (the upgrade's, or an HTTP answer's inside a tunnel).
    package struct ResponseHead: Sendable {
        package var status: Int
        package var statusLine: String
        package var headers: [(name: String, value: String)]

        package init(status: Int, statusLine: String, headers: [(name: String, value: String)] = []) {
            self.status = status
            self.statusLine = statusLine
            self.headers = headers
        }

        package func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.last { $0.name.lowercased() == lower }?.value
        }

        /// `Content-Length` as a byte count, nil without one. Throws when it is not a count
        /// (a sign, anything but digits, more than Int holds), as Go's transport refuses it.
        package func contentLength() throws(BadLength) -> Int? {
            guard let text = header("Content-Length") else { return nil }
            guard let n = ResponseHead.count(text, radix: 10, maxDigits: 18) else {
                throw BadLength(message: "bad Content-Length \"\(ServerText.printable(String(text.prefix(40))))\"")
            }
            return n
        }

        /// Digits only (no sign, no spaces), at most `maxDigits` of them: a count that fits Int.
        static func count(_ text: String, radix: Int, maxDigits: Int) -> Int? {
            let digits = text.utf8
            guard !digits.isEmpty, digits.count <= maxDigits,
                  digits.allSatisfy({ radix == 16 ? Character(Unicode.Scalar($0)).isHexDigit : (48...57).contains($0) })
            else { return nil }
            return Int(text, radix: radix)
        }
    }

    /// A length or size read from the network that is not one.
    package struct BadLength: Error, Sendable {
        package let message: String
    }

    /// The head, and how many bytes it took, once `bytes` hold all of it (up to the blank line).
    static func parseHead(_ bytes: [UInt8]) -> (ResponseHead, length: Int)? {
        guard bytes.count >= 4 else { return nil }
        var end = -1
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            end = i
            break
        }
        guard end >= 0 else { return nil }
        let text = String(decoding: bytes[..<end], as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        // Three digits, or 0 (not a status) for anything else: a sign or a huge number is no status.
        let status = parts.count >= 2 ? ResponseHead.count(String(parts[1]), radix: 10, maxDigits: 3).flatMap { $0 >= 100 ? $0 : nil } ?? 0 : 0
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]).trimmingWhitespace, String(line[line.index(after: colon)...]).trimmingWhitespace))
        }
        return (ResponseHead(status: status, statusLine: statusLine, headers: headers), end + 4)
    }

    /// Why a 101 answer does not complete the handshake for `key`, or nil when it does (4.1, client side).
    static func problem(with head: ResponseHead, key: String, protocols: [String]) -> String? {
        guard head.header("Upgrade")?.lowercased() == "websocket" else { return "its Upgrade header is not websocket" }
        guard let connection = head.header("Connection"),
              connection.lowercased().split(separator: ",").contains(where: { $0.trimmingWhitespace == "upgrade" })
        else { return "its Connection header lacks upgrade" }
        guard head.header("Sec-WebSocket-Accept") == accept(forKey: key) else { return "its Sec-WebSocket-Accept does not match the key sent" }
        if let chosen = head.header("Sec-WebSocket-Protocol"), !chosen.isEmpty, !protocols.contains(chosen) {
            return "it chose the subprotocol \(chosen), which was not offered"
        }
        return nil
    }
}
