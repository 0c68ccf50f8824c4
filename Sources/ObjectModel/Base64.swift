/// Base64 (RFC 4648) for every module: Secret data and Helm records (Go's `StdEncoding`),
/// kubeconfig `*-data` fields, Basic auth, tokens.
public enum Base64 {
    /// How strict `decode` is.
    public enum Decoding: Sendable {
        /// Go's `base64.StdEncoding`, as the API server decodes `[]byte` fields: the standard
        /// alphabet, padded to a multiple of four; line breaks (`\r`, `\n`) are skipped.
        case standard
        /// Also the URL-safe alphabet, missing padding and any white space (PEM-style line
        /// breaks, a JWT's unpadded segments).
        case lenient
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let b = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((b.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < b.count {
            let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = b.count - i
        if rest == 1 {
            let n = UInt32(b[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], 61, 61]
        } else if rest == 2 {
            let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes, or nil when the text is not base64 as `mode` reads it.
    public static func decode(_ text: some StringProtocol, _ mode: Decoding = .standard) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count / 4 * 3)
        var acc: UInt32 = 0
        var bits = 0
        var padding = 0
        var count = 0
        let lenient = mode == .lenient
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "-") where lenient: v = 62
            case UInt8(ascii: "_") where lenient: v = 63
            case UInt8(ascii: "="): padding += 1; count += 1; continue
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: " ") where lenient: continue
            case UInt8(ascii: "\t") where lenient: continue
            default: return nil
            }
            if padding > 0 { return nil }
            count += 1
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        if padding > 2 || bits >= 6 { return nil }
        if !lenient && count % 4 != 0 { return nil }
        return out
    }
}
