/// Serialises a `JSONValue` as JSON text: compact for the wire, indented for people.
extension JSONValue {
    public func jsonString(pretty: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONWriter.write(self, into: &out, pretty: pretty, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    public func jsonBytes(pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONWriter.write(self, into: &out, pretty: pretty, indent: 0)
        return out
    }
}

package enum JSONWriter {
    static func write(_ v: JSONValue, into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let n): out.append(contentsOf: String(n).utf8)
        case .double(let d): out.append(contentsOf: formatDouble(d).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            if a.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (n, e) in a.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(&out, indent + 2) }
                write(e, into: &out, pretty: pretty, indent: indent + 2)
            }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            var first = true
            for (k, e) in o {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                if pretty { newline(&out, indent + 2) }
                writeString(k, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                write(e, into: &out, pretty: pretty, indent: indent + 2)
            }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    package static func formatDouble(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d.rounded() == d, abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Bytes written as they are in a JSON string (all but `"`, `\\` and controls).
    private static let plain: [Bool] = (0..<256).map { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { u in
            plain.withUnsafeBufferPointer { plain in
                var i = 0
                let n = u.count
                while i < n {
                    // A run of bytes that need no escape goes in at once.
                    let start = i
                    while i < n, plain[Int(u[i])] { i += 1 }
                    if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i])) }
                    guard i < n else { break }
                    let c = u[i]
                    i += 1
                    switch c {
                    case 0x22: out.append(0x5C); out.append(0x22)
                    case 0x5C: out.append(0x5C); out.append(0x5C)
                    case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                    case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                    case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                    default:
                        out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
                    }
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
