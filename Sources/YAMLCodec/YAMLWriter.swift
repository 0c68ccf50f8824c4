import ObjectModel
/// Writes YAML the way kubectl prints it (go-yaml v2): block style, two-space indent,
/// sequence items at their key's indent, strings quoted only where plain text would mean
/// something else.
enum YAMLWriter {
    static func document(_ v: JSONValue) -> String {
        var out = ""
        switch v {
        case .object(let o) where !o.isEmpty: mapping(o, indent: 0, into: &out)
        case .array(let a) where !a.isEmpty: sequence(a, indent: 0, into: &out)
        default:
            if case .string(let s) = v, let block = blockLiteral(s, indent: 0) { out = block } else { out = scalar(v) + "\n" }
        }
        return out
    }

    private static func pad(_ n: Int) -> String { String(repeating: " ", count: n) }

    static func mapping(_ o: JSONObject, indent: Int, into out: inout String) {
        for (k, v) in o {
            out += pad(indent)
            out += key(k)
            out += ":"
            value(v, indent: indent, nestedIndent: indent + 2, seqIndent: indent, into: &out)
        }
    }

    /// The part after `key:` or `-`: inline scalar, or a nested block on the next lines.
    private static func value(_ v: JSONValue, indent: Int, nestedIndent: Int, seqIndent: Int, into out: inout String) {
        switch v {
        case .object(let o) where !o.isEmpty:
            out += "\n"
            mapping(o, indent: nestedIndent, into: &out)
        case .array(let a) where !a.isEmpty:
            out += "\n"
            sequence(a, indent: seqIndent, into: &out)
        case .string(let s):
            if let block = blockLiteral(s, indent: nestedIndent) {
                out += " " + block
            } else {
                out += " " + scalar(v) + "\n"
            }
        default:
            out += " " + scalar(v) + "\n"
        }
    }

    static func sequence(_ a: [JSONValue], indent: Int, into out: inout String) {
        for v in a {
            switch v {
            case .object(let o) where !o.isEmpty:
                var inner = ""
                mapping(o, indent: indent + 2, into: &inner)
                out += pad(indent) + "- " + inner.dropFirst(indent + 2)
            case .array(let nested) where !nested.isEmpty:
                var inner = ""
                sequence(nested, indent: indent + 2, into: &inner)
                out += pad(indent) + "- " + inner.dropFirst(indent + 2)
            default:
                out += pad(indent) + "-"
                value(v, indent: indent, nestedIndent: indent + 2, seqIndent: indent + 2, into: &out)
            }
        }
    }

    static func key(_ k: String) -> String {
        needsQuotes(k) ? quoted(k) : k
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
            out += line.isEmpty ? "\n" : pad(indent) + line + "\n"
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
