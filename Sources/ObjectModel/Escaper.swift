/// The one escaper behind every quoted or printed text: each emitter is a rule set (which
/// scalars have a named escape, which others must not stand as they are, and how those are
/// written), not a loop of its own.
public struct Escaper: Sendable {
    /// Scalars written as a fixed text: `\n`, `\"`...
    let named: [Unicode.Scalar: String]
    /// Other scalars that must not stand as they are.
    let escapes: @Sendable (Unicode.Scalar) -> Bool
    /// How such a scalar is written.
    let numeric: @Sendable (Unicode.Scalar) -> String
    /// The same rules for each ASCII byte, looked up once: nil where the byte stands as it is.
    let ascii: [[UInt8]?]

    public init(named: [Unicode.Scalar: String], escapes: @escaping @Sendable (Unicode.Scalar) -> Bool,
                numeric: @escaping @Sendable (Unicode.Scalar) -> String) {
        self.named = named
        self.escapes = escapes
        self.numeric = numeric
        ascii = (0..<128).map { b -> [UInt8]? in
            let u = Unicode.Scalar(UInt8(b))
            if let text = named[u] { return Array(text.utf8) }
            return escapes(u) ? Array(numeric(u).utf8) : nil
        }
    }

    /// `escaped` of ASCII text, byte by byte through the table (a writer's fast path); the bytes
    /// must all be ASCII.
    public func appendEscaped(ascii text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        for b in text {
            if let e = ascii[Int(b & 0x7F)] { out.append(contentsOf: e) } else { out.append(b) }
        }
    }

    /// Whether any scalar of `s` would be written other than as it is.
    public func changes(_ s: String) -> Bool {
        s.unicodeScalars.contains { named[$0] != nil || escapes($0) }
    }

    /// `s` with every scalar the rules name or escape written as they say.
    public func escaped(_ s: String) -> String {
        guard changes(s) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for u in s.unicodeScalars {
            if let text = named[u] {
                out += text
            } else if escapes(u) {
                out += numeric(u)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// `\x` and two hex digits, `\u` and four, or `\U` and eight: the shortest that holds the
    /// scalar, as YAML's double-quoted style and Go write them.
    public static func hex(_ u: Unicode.Scalar, uppercase: Bool) -> String {
        let digits = String(u.value, radix: 16, uppercase: uppercase)
        let width = u.value <= 0xFF ? 2 : (u.value <= 0xFFFF ? 4 : 8)
        return (width == 2 ? "\\x" : width == 4 ? "\\u" : "\\U") + String(repeating: "0", count: width - digits.count) + digits
    }

    static func isASCIIControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || u.value == 0x7F }

    /// The inside of Go's `%q` as upstream's messages use it: quotes, backslashes and ASCII
    /// control characters escaped (`\n`, `\a`, `\x1b`).
    public static let goQuote = Escaper(
        named: ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\u{07}": "\\a", "\u{08}": "\\b",
                "\u{0C}": "\\f", "\u{0B}": "\\v"],
        escapes: isASCIIControl,
        numeric: { hex($0, uppercase: false) })

    /// The inside of a double-quoted YAML scalar as `YAMLWriter` writes one (JSON-compatible
    /// escapes, a byte order mark escaped so a reader never drops it).
    public static let yamlDoubleQuoted = Escaper(
        named: ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"],
        escapes: { isASCIIControl($0) || $0 == "\u{FEFF}" },
        numeric: { hex($0, uppercase: true) })

    /// Text from a server or another party osm does not control, for the terminal: every C0 and
    /// C1 control and line or paragraph separator becomes a visible escape (`\e`, `\a`, `\r`,
    /// `\n`, `\u{9b}`), so it can neither act on the terminal nor span lines.
    public static let terminal = Escaper(
        named: ["\n": "\\n", "\r": "\\r", "\t": "\\t", "\u{1B}": "\\e", "\u{07}": "\\a"],
        escapes: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029 },
        numeric: { "\\u{" + String($0.value, radix: 16) + "}" })
}
