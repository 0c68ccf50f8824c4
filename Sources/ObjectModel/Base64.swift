/// Base64 (RFC 4648) for every module: Secret data and Helm records (Go's `StdEncoding`),
/// kubeconfig `*-data` fields, Basic auth, tokens.
///
/// Both directions work on contiguous bytes with lookup tables (a Helm release record is
/// base64 twice over, tens of kilobytes, on every `mesh upgrade`).
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

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Per input byte: its 6-bit value, or one of the classes below.
    private static let padClass: UInt8 = 0xFE, skipClass: UInt8 = 0xFD, invalid: UInt8 = 0xFF

    private static func table(lenient: Bool) -> [UInt8] {
        var t = [UInt8](repeating: invalid, count: 256)
        for (v, c) in alphabet.enumerated() { t[Int(c)] = UInt8(v) }
        t[Int(UInt8(ascii: "="))] = padClass
        t[Int(UInt8(ascii: "\n"))] = skipClass
        t[Int(UInt8(ascii: "\r"))] = skipClass
        if lenient {
            t[Int(UInt8(ascii: "-"))] = 62
            t[Int(UInt8(ascii: "_"))] = 63
            t[Int(UInt8(ascii: " "))] = skipClass
            t[Int(UInt8(ascii: "\t"))] = skipClass
        }
        return t
    }

    private static let standardTable = table(lenient: false)
    private static let lenientTable = table(lenient: true)

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0) }) { return s }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0) }
    }

    private static func encode(buffer b: UnsafeBufferPointer<UInt8>) -> String {
        let n = b.count
        let length = (n + 2) / 3 * 4
        guard length > 0 else { return "" }
        return alphabet.withUnsafeBufferPointer { a in
            String(unsafeUninitializedCapacity: length) { out in
                var i = 0, o = 0
                while i + 2 < n {
                    let v = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
                    out[o] = a[Int(v >> 18 & 63)]
                    out[o + 1] = a[Int(v >> 12 & 63)]
                    out[o + 2] = a[Int(v >> 6 & 63)]
                    out[o + 3] = a[Int(v & 63)]
                    i += 3
                    o += 4
                }
                let rest = n - i
                if rest > 0 {
                    let v = UInt32(b[i]) << 16 | (rest == 2 ? UInt32(b[i + 1]) << 8 : 0)
                    out[o] = a[Int(v >> 18 & 63)]
                    out[o + 1] = a[Int(v >> 12 & 63)]
                    out[o + 2] = rest == 2 ? a[Int(v >> 6 & 63)] : 61
                    out[o + 3] = 61
                    o += 4
                }
                return o
            }
        }
    }

    /// The bytes, or nil when the text is not base64 as `mode` reads it.
    public static func decode(_ text: some StringProtocol, _ mode: Decoding = .standard) -> [UInt8]? {
        if let r = text.utf8.withContiguousStorageIfAvailable({ decode(buffer: $0, mode) }) { return r }
        var copy = String(text)
        return copy.withUTF8 { decode(buffer: $0, mode) }
    }

    private static func decode(buffer text: UnsafeBufferPointer<UInt8>, _ mode: Decoding) -> [UInt8]? {
        let lenient = mode == .lenient
        let n = text.count
        var failed = false
        let table = lenient ? lenientTable : standardTable
        let out = table.withUnsafeBufferPointer { t -> [UInt8] in
            [UInt8](unsafeUninitializedCapacity: n / 4 * 3 + 3) { out, written in
                var acc: UInt32 = 0
                var bits = 0
                var padding = 0
                var count = 0
                var o = 0
                var i = 0
                while i < n {
                    // Four data characters at a byte boundary: three bytes at once.
                    if bits == 0, padding == 0, i + 4 <= n {
                        let a = t[Int(text[i])], b = t[Int(text[i + 1])], c = t[Int(text[i + 2])], d = t[Int(text[i + 3])]
                        if a | b | c | d < 64 {
                            let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                            out[o] = UInt8(truncatingIfNeeded: v >> 16)
                            out[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                            out[o + 2] = UInt8(truncatingIfNeeded: v)
                            o += 3
                            i += 4
                            count += 4
                            continue
                        }
                    }
                    let v = t[Int(text[i])]
                    i += 1
                    if v == skipClass { continue }
                    if v == padClass { padding += 1; count += 1; continue }
                    if v == invalid || padding > 0 { failed = true; break }
                    count += 1
                    acc = acc << 6 | UInt32(v)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        out[o] = UInt8(truncatingIfNeeded: acc >> UInt32(bits))
                        o += 1
                        acc &= (1 << UInt32(bits)) - 1
                    }
                }
                if padding > 2 || bits >= 6 || (!lenient && count % 4 != 0) { failed = true }
                written = o
            }
        }
        return failed ? nil : out
    }
}
