import ObjectModel

/// What upstream's `yaml.Marshal` (gopkg.in/yaml.v2 v2.4.0) prints for a Go struct, for the few
/// Kubernetes types upstream marshals that way (`osm policy check-pods` prints an SMI
/// TrafficTarget). yaml.v2 ignores the `json` tags of Kubernetes types: every exported field is
/// printed, under its name in lower case, zero values included (`generatename: ""`, `labels: {}`,
/// `deletiontimestamp: null`), embedded structs as their own key (`typemeta:`, `objectmeta:`),
/// in the struct's field order; map keys sorted as yaml.v2 sorts them; strings quoted where
/// yaml.v2 quotes them.
package indirect enum GoYAMLv2: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    /// A struct (fields in order) or a map (keys already sorted with `sortedKeys`).
    case mapping([(String, GoYAMLv2)])
    case sequence([GoYAMLv2])

    package static func == (a: GoYAMLv2, b: GoYAMLv2) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        case let (.sequence(x), .sequence(y)): return x == y
        case let (.mapping(x), .mapping(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The document, as `yaml.Marshal` returns it (ends with a newline).
    package func document() -> String {
        var out = ""
        switch self {
        case .mapping(let entries) where !entries.isEmpty: Self.mapping(entries, indent: 0, into: &out)
        case .sequence(let items) where !items.isEmpty: Self.sequence(items, indent: 0, into: &out)
        default: Self.inline(self, indent: 0, into: &out)
        }
        return out
    }

    // MARK: block layout (libyaml's emitter: two-space indent, sequences in mappings not indented)

    private static func pad(_ n: Int) -> String { String(repeating: " ", count: n) }

    private static func mapping(_ entries: [(String, GoYAMLv2)], indent: Int, into out: inout String) {
        for (key, value) in entries {
            out += pad(indent) + scalar(key, indent: indent) + ":"
            switch value {
            case .mapping(let inner) where !inner.isEmpty:
                out += "\n"
                mapping(inner, indent: indent + 2, into: &out)
            case .sequence(let items) where !items.isEmpty:
                out += "\n"
                sequence(items, indent: indent, into: &out)
            default:
                out += " "
                inline(value, indent: indent + 2, into: &out)
            }
        }
    }

    private static func sequence(_ items: [GoYAMLv2], indent: Int, into out: inout String) {
        for item in items {
            switch item {
            case .mapping(let inner) where !inner.isEmpty:
                var block = ""
                mapping(inner, indent: indent + 2, into: &block)
                out += pad(indent) + "- " + block.dropFirst(indent + 2)
            case .sequence(let nested) where !nested.isEmpty:
                var block = ""
                sequence(nested, indent: indent + 2, into: &block)
                out += pad(indent) + "- " + block.dropFirst(indent + 2)
            default:
                out += pad(indent) + "- "
                inline(item, indent: indent + 2, into: &out)
            }
        }
    }

    /// A scalar or an empty collection after `key: ` or `- `, with its newline.
    private static func inline(_ value: GoYAMLv2, indent: Int, into out: inout String) {
        switch value {
        case .string(let s): out += scalar(s, indent: indent) + "\n"
        case .int(let n): out += String(n) + "\n"
        case .bool(let b): out += (b ? "true" : "false") + "\n"
        case .null: out += "null\n"
        case .mapping: out += "{}\n"
        case .sequence: out += "[]\n"
        }
    }

    // MARK: strings

    /// yaml.v2 asks for a plain scalar unless the text would read back as another type (then
    /// double quotes) or holds a line break (then a literal block); libyaml's emitter falls back
    /// to single quotes where plain text is not allowed.
    static func scalar(_ s: String, indent: Int) -> String {
        if s.contains("\n") {
            if let block = literal(s, indent: indent) { return block }
            return doubleQuoted(s)
        }
        if resolvesToNonString(s) || isBase60Float(s) { return doubleQuoted(s) }
        let analysis = analyze(s)
        if analysis.special { return doubleQuoted(s) }
        if analysis.plainAllowed { return s }
        return "'" + s.replacingAll("'", with: "''") + "'"
    }

    private static func literal(_ s: String, indent: Int) -> String? {
        let scalars = Array(s.unicodeScalars)
        for (i, u) in scalars.enumerated() {
            if isSpecial(u) && u != "\n" { return nil }
            if u == " ", i + 1 < scalars.count, scalars[i + 1] == "\n" { return nil }
        }
        var header = "|"
        if scalars.first == " " || scalars.first == "\n" { header += "2" }
        if scalars.last != "\n" {
            header += "-"
        } else if scalars.count == 1 || scalars[scalars.count - 2] == "\n" {
            header += "+"
        }
        var body = s
        if body.hasSuffix("\n") { body.removeLast() }
        var out = header + "\n"
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            out += line.isEmpty ? "" : pad(indent) + line
            if i < lines.count - 1 { out += "\n" }
        }
        // The caller adds the final newline.
        return out
    }

    private static func isSpecial(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        let printable = v == 0x09 || v == 0x0A || v == 0x0D || (0x20...0x7E).contains(v) || v == 0x85
            || (0xA0...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || (0x10000...0x10FFFF).contains(v)
        return !printable || v == 0xFEFF
    }

    /// libyaml's `yaml_emitter_analyze_scalar`, for a single-line scalar in block context.
    private static func analyze(_ s: String) -> (plainAllowed: Bool, special: Bool) {
        let u = Array(s.unicodeScalars)
        guard !u.isEmpty else { return (false, false) }
        if s.hasPrefix("---") || s.hasPrefix("...") { return (false, false) }
        var blockIndicators = false
        var special = false
        for (i, c) in u.enumerated() {
            let followedBySpace = i + 1 >= u.count || u[i + 1] == " " || u[i + 1] == "\t"
            if i == 0 {
                switch c {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`":
                    blockIndicators = true
                case "?", ":", "-":
                    if followedBySpace { blockIndicators = true }
                default: break
                }
            } else {
                if c == ":" && followedBySpace { blockIndicators = true }
                if c == "#" && (u[i - 1] == " " || u[i - 1] == "\t") { blockIndicators = true }
            }
            if isSpecial(c) || c == "\t" { special = special || isSpecial(c) }
        }
        let edgeSpace = u.first == " " || u.last == " "
        return (!blockIndicators && !edgeSpace && !special, special)
    }

    /// yaml.v2's double-quoted style: libyaml's named escapes, every other special scalar in hex.
    static let escaper = Escaper(
        named: ["\"": "\\\"", "\\": "\\\\", "\0": "\\0", "\u{07}": "\\a", "\u{08}": "\\b", "\t": "\\t", "\n": "\\n",
                "\u{0B}": "\\v", "\u{0C}": "\\f", "\r": "\\r", "\u{1B}": "\\e", "\u{85}": "\\N", "\u{A0}": "\\_",
                "\u{2028}": "\\L", "\u{2029}": "\\P"],
        escapes: isSpecial,
        numeric: { Escaper.hex($0, uppercase: true) })

    static func doubleQuoted(_ s: String) -> String { "\"" + escaper.escaped(s) + "\"" }

    /// yaml.v2's `resolve("", s)` gives a tag other than `!!str`.
    static func resolvesToNonString(_ s: String) -> Bool {
        let reserved: Set<String> = [
            "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
            "true", "True", "TRUE", "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
            ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
        ]
        if reserved.contains(s) { return true }
        guard let first = s.unicodeScalars.first else { return true }
        let plain = s.replacingAll("_", with: "")
        switch first {
        case ".":
            return matches(s, #"^\.[0-9]+([eE][-+]?[0-9]+)?$"#)
        case "0"..."9", "+", "-":
            if isTimestamp(s) { return true }
            if matches(plain, #"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$"#) { return true }
            return matches(plain, #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#)
        default:
            return false
        }
    }

    private static func isTimestamp(_ s: String) -> Bool {
        let date = #"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"#
        let time = #"[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?"#
        return matches(s, "^\(date)$") || matches(s, "^\(date)[Tt]\(time)(Z|[-+][0-9]{2}:[0-9]{2})$")
            || matches(s, "^\(date) \(time)$")
    }

    static func isBase60Float(_ s: String) -> Bool {
        matches(s, #"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"#)
    }

    private static func matches(_ s: String, _ pattern: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: s)) != nil
    }

    // MARK: map keys

    /// yaml.v2's order of string map keys: letters before other characters, runs of digits
    /// compared as numbers.
    package static func sortedKeys(_ keys: [String]) -> [String] {
        keys.sorted(by: keyLess)
    }

    static func keyLess(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars), br = Array(b.unicodeScalars)
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] { i += 1; continue }
            let al = ar[i].properties.isAlphabetic, bl = br[i].properties.isAlphabetic
            if al && bl { return ar[i].value < br[i].value }
            if al || bl { return bl }
            var an: Int64 = 0, bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" { an = 1; bn = 1; break }
                    j -= 1
                }
            }
            var ai = i, bi = i
            while ai < ar.count && isDigit(ar[ai]) { an = an &* 10 &+ Int64(ar[ai].value - 48); ai += 1 }
            while bi < br.count && isDigit(br[bi]) { bn = bn &* 10 &+ Int64(br[bi].value - 48); bi += 1 }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    private static func isDigit(_ u: Unicode.Scalar) -> Bool { ("0"..."9").contains(u) }

    // MARK: Kubernetes time

    /// A `metav1.Time` as yaml.v2 prints it: through `time.Time.MarshalText` (RFC 3339 with
    /// nanoseconds) in the local time zone, since `metav1.Time` decodes to local time.
    package static func localTime(_ rfc3339: String) -> String {
        guard let instant = RFC3339.instant(rfc3339) else { return rfc3339 }
        return RFC3339.format(seconds: instant.seconds, nanoseconds: instant.nanoseconds, zone: .local)
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
