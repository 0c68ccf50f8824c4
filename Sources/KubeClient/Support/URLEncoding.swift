/// Percent-encoding for API paths and query parameters.
enum URLEncoding {
    static func isUnreserved(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    static func encode(_ s: String, keeping extra: String = "") -> String {
        encode(bytes: s.utf8, keeping: extra)
    }

    static func encode(bytes: some Sequence<UInt8>, keeping extra: String = "") -> String {
        let keep = Set(extra.utf8)
        return encode(bytes: bytes, escaping: { !isUnreserved($0) && !keep.contains($0) })
    }

    /// `bytes` with each one that `escaped` picks as `%XX`.
    static func encode(bytes: some Sequence<UInt8>, escaping escaped: (UInt8) -> Bool) -> String {
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for c in bytes {
            if escaped(c) {
                out += [UInt8(ascii: "%"), hex[Int(c >> 4)], hex[Int(c & 15)]]
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func pathSegment(_ s: String) -> String { encode(s, keeping: ":@!$&'()*+,;=") }

    static func query(_ items: [(String, String)]) -> String {
        items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
