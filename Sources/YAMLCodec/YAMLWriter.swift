import ObjectModel
/// Writes YAML the way kubectl prints it (go-yaml v2): block style, two-space indent,
/// sequence items at their key's indent, strings quoted only where plain text would mean
/// something else.
enum YAMLWriter {
    /// The text is built as UTF-8 bytes; ASCII scalars (nearly all of a manifest's) are decided
    /// on their bytes, others by the String rules below (`needsQuotes`, `quoted`, `blockLiteral`).
    static func document(_ v: JSONValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        document(v, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func document(_ v: JSONValue, into out: inout [UInt8]) {
        switch v {
        case .object(let o) where !o.isEmpty: mapping(o, indent: 0, skipFirstPad: false, into: &out)
        case .array(let a) where !a.isEmpty: sequence(a, indent: 0, skipFirstPad: false, into: &out)
        default:
            if case .string(let s) = v, writeBlockLiteral(s, indent: 0, into: &out) {} else {
                writeScalar(v, into: &out)
                out.append(0x0A)
            }
        }
    }

    @inline(__always) private static func pad(_ n: Int, _ out: inout [UInt8]) {
        for _ in 0..<n { out.append(0x20) }
    }

    /// `skipFirstPad`: the first line's indent is already written (`- ` of a sequence item).
    static func mapping(_ o: JSONObject, indent: Int, skipFirstPad: Bool, into out: inout [UInt8]) {
        var first = skipFirstPad
        for (k, v) in o {
            if first { first = false } else { pad(indent, &out) }
            writeKey(k, into: &out)
            out.append(UInt8(ascii: ":"))
            value(v, indent: indent, nestedIndent: indent + 2, seqIndent: indent, into: &out)
        }
    }

    /// The part after `key:` or `-`: inline scalar, or a nested block on the next lines.
    private static func value(_ v: JSONValue, indent: Int, nestedIndent: Int, seqIndent: Int, into out: inout [UInt8]) {
        switch v {
        case .object(let o) where !o.isEmpty:
            out.append(0x0A)
            mapping(o, indent: nestedIndent, skipFirstPad: false, into: &out)
        case .array(let a) where !a.isEmpty:
            out.append(0x0A)
            sequence(a, indent: seqIndent, skipFirstPad: false, into: &out)
        case .string(let s):
            out.append(0x20)
            if !writeBlockLiteral(s, indent: nestedIndent, into: &out) {
                writeScalar(v, into: &out)
                out.append(0x0A)
            }
        default:
            out.append(0x20)
            writeScalar(v, into: &out)
            out.append(0x0A)
        }
    }

    static func sequence(_ a: [JSONValue], indent: Int, skipFirstPad: Bool, into out: inout [UInt8]) {
        var first = skipFirstPad
        for v in a {
            if first { first = false } else { pad(indent, &out) }
            switch v {
            case .object(let o) where !o.isEmpty:
                out.append(UInt8(ascii: "-"))
                out.append(0x20)
                mapping(o, indent: indent + 2, skipFirstPad: true, into: &out)
            case .array(let nested) where !nested.isEmpty:
                out.append(UInt8(ascii: "-"))
                out.append(0x20)
                sequence(nested, indent: indent + 2, skipFirstPad: true, into: &out)
            default:
                out.append(UInt8(ascii: "-"))
                value(v, indent: indent, nestedIndent: indent + 2, seqIndent: indent + 2, into: &out)
            }
        }
    }

    private static func writeKey(_ k: String, into out: inout [UInt8]) {
        writeString(k, into: &out)
    }

    /// A string scalar, plain or double-quoted.
    private static func writeString(_ s: String, into out: inout [UInt8]) {
        var s = s
        let done = s.withUTF8 { u -> Bool in
            guard isASCII(u) else { return false }
            if asciiNeedsQuotes(u) { asciiQuoted(u, into: &out) } else { out.append(contentsOf: u) }
            return true
        }
        if !done { out.append(contentsOf: (needsQuotes(s) ? quoted(s) : s).utf8) }
    }

    private static func writeScalar(_ v: JSONValue, into out: inout [UInt8]) {
        if case .string(let s) = v { writeString(s, into: &out) } else { out.append(contentsOf: scalar(v).utf8) }
    }

    static func scalar(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .double(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
            return JSONWriter.formatDouble(d)
        case .string(let s): return needsQuotes(s) ? quoted(s) : s
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    // MARK: ASCII text, on its bytes (the same rules as the String functions below)

    private static func isASCII(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in u where b >= 0x80 { return false }
        return true
    }

    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }

    /// `resolvePlain` for a word that starts with a letter: not a string only for YAML 1.1's
    /// null and bool words (`null`, `Null`, `NULL`, `y`, `Yes`, `OFF`...).
    private static func isSpecialWord(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = u.count
        guard n <= 5 else { return false }
        var lower: UInt64 = 0
        var allLower = true, allUpper = true, restLower = true
        for (i, b) in u.enumerated() {
            guard isLetter(b) else { return false }
            let isUpper = b < UInt8(ascii: "a")
            if isUpper { allLower = false; if i > 0 { restLower = false } } else { allUpper = false }
            lower = lower << 8 | UInt64(b | 0x20)
        }
        guard allLower || allUpper || restLower else { return false }
        func word(_ w: StaticString) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<w.utf8CodeUnitCount { v = v << 8 | UInt64(w.utf8Start[i]) }
            return v
        }
        switch n {
        case 1: return lower == word("y") || lower == word("n")
        case 2: return lower == word("on") || lower == word("no")
        case 3: return lower == word("yes") || lower == word("off")
        case 4: return lower == word("null") || lower == word("true")
        default: return lower == word("false")
        }
    }

    /// The bytes of every number form `resolvePlain` reads (decimal, `0x`/`0o`/`0b`, `_`
    /// separators, floats with exponents).
    private static let numeric: [Bool] = (0..<128).map { "0123456789.eE+-_xobabcdefABCDEF".utf8.contains(UInt8($0)) }

    private static let indicators: [Bool] = (0..<128).map { "-?:,[]{}#&*!|>'\"%@`".utf8.contains(UInt8($0)) }

    /// `needsQuotes` of an ASCII string.
    private static func asciiNeedsQuotes(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = u.count
        guard n > 0 else { return true }
        let first = u[0], last = u[n - 1]
        // `resolvePlain`'s non-strings: null and bool words (letters), `~`, numbers (a digit or a
        // sign or dot first), `.inf` and `.nan` words (five bytes at most).
        let digit = first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
        if isLetter(first) {
            if isSpecialWord(u) { return true }
        } else if digit || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || first == UInt8(ascii: "~") {
            // A byte no number form has (`512M`, `--verbosity`) past the special words: a string.
            let word = (digit || n > 5) && u.contains(where: { !numeric[Int($0)] })
            if !word {
                if case .string = YAMLReader.resolvePlain(String(decoding: u, as: UTF8.self)) {} else { return true }
            }
        }
        if first == 0x20 || last == 0x20 { return true }
        if indicators[Int(first)] {
            let dashOK = first == UInt8(ascii: "-") && n > 1 && u[1] != 0x20
                && !(n == 3 && u[1] == UInt8(ascii: "-") && u[2] == UInt8(ascii: "-"))
            if !dashOK { return true }
        }
        if last == UInt8(ascii: ":") { return true }
        var prev: UInt8 = 0
        for b in u {
            if b < 0x20 || b == 0x7F { return true }
            if (prev == UInt8(ascii: ":") && b == 0x20) || (prev == 0x20 && b == UInt8(ascii: "#")) { return true }
            prev = b
        }
        return false
    }

    /// `quoted` of an ASCII string.
    private static func asciiQuoted(_ u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        Escaper.yamlDoubleQuoted.appendEscaped(ascii: u, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// `blockLiteral` written out: false (nothing written) when the text takes no `|` block.
    private static func writeBlockLiteral(_ s: String, indent: Int, into out: inout [UInt8]) -> Bool {
        var s = s
        let ascii = s.withUTF8 { u -> Bool? in
            guard isASCII(u) else { return nil }
            let n = u.count
            var hasNewline = false
            for b in u {
                if b == 0x0A { hasNewline = true } else if b < 0x20 { return false }
            }
            guard hasNewline, u[0] != 0x20, u[0] != 0x0A else { return false }
            // The body: without a single final line break (`|`), with none (`|-`), or all of
            // them with the last one written by the block (`|+`).
            var end = n
            var chomp: UInt8 = 0
            if n >= 2, u[n - 1] == 0x0A, u[n - 2] == 0x0A {
                chomp = UInt8(ascii: "+")
            } else if u[n - 1] == 0x0A {
                end = n - 1
            } else {
                chomp = UInt8(ascii: "-")
            }
            // No line may end in a space.
            for i in 0..<end where u[i] == 0x20 && (i + 1 == end || u[i + 1] == 0x0A) { return false }
            out.append(UInt8(ascii: "|"))
            if chomp != 0 { out.append(chomp) }
            out.append(0x0A)
            var lineStart = 0
            var i = 0
            while i <= end {
                if i == end || u[i] == 0x0A {
                    if i > lineStart {
                        pad(indent, &out)
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: u[lineStart..<i]))
                    }
                    out.append(0x0A)
                    lineStart = i + 1
                }
                i += 1
            }
            if chomp == UInt8(ascii: "+") { out.removeLast() }
            return true
        }
        if let ascii { return ascii }
        guard let block = blockLiteral(s, indent: indent) else { return false }
        out.append(contentsOf: block.utf8)
        return true
    }

    // MARK: the rules, on Strings

    /// `|` block for multi-line text that a literal block can carry exactly.
    static func blockLiteral(_ s: String, indent: Int) -> String? {
        guard s.contains("\n") else { return nil }
        guard !s.hasPrefix(" "), !s.hasPrefix("\n"), !s.contains("\r"), !s.contains("\t") else { return nil }
        for u in s.unicodeScalars where u.value < 0x20 && u != "\n" { return nil }
        var body = Substring(s)
        var chomp = ""
        if body.hasSuffix("\n\n") {
            chomp = "+"
        } else if body.hasSuffix("\n") {
            body = body.dropLast()
        } else {
            chomp = "-"
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.contains(where: { $0.hasSuffix(" ") }) { return nil }
        var out = "|" + chomp + "\n"
        for line in lines {
            out += line.isEmpty ? "\n" : String(repeating: " ", count: indent) + line + "\n"
        }
        if chomp == "+" { out.removeLast() }
        return out
    }

    static func needsQuotes(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return true }
        if case .string = YAMLReader.resolvePlain(s) {} else { return true }
        if first == " " || last == " " { return true }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
            // `-foo` and `:foo` are plain-safe only when not followed by a space; keep it simple.
            if !(first == "-" && s.unicodeScalars.count > 1 && !s.hasPrefix("- ") && s != "---") { return true }
        }
        if last == ":" { return true }
        // One pass over the bytes: ": " or " #" anywhere, a control character, or a BOM
        // (U+FEFF, EF BB BF in UTF-8). Substring searches cost ten times as much, per string.
        var (before, prev): (UInt8, UInt8) = (0, 0)
        for b in s.utf8 {
            if b < 0x20 || b == 0x7F { return true }
            if (prev == UInt8(ascii: ":") && b == UInt8(ascii: " ")) || (prev == UInt8(ascii: " ") && b == UInt8(ascii: "#")) { return true }
            if before == 0xEF && prev == 0xBB && b == 0xBF { return true }
            (before, prev) = (prev, b)
        }
        return false
    }

    static func quoted(_ s: String) -> String { "\"" + Escaper.yamlDoubleQuoted.escaped(s) + "\"" }
}
