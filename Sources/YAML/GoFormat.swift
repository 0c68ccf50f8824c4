/// Go's `fmt` verbs where upstream's messages use them, so that the texts match byte for byte.
public enum GoFormat {
    /// `%q` of a string: double quotes, with `"` and `\` escaped and control characters as Go
    /// writes them (`\n`, `\a`, `\x1b`...), so a value never acts on the terminal.
    public static func quoted(_ s: String) -> String { "\"" + escaped(s) + "\"" }

    /// The inside of `%q`.
    public static func escaped(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `%v` of a `[]string` (or a set's `ToSlice()`): `[a b c]`.
    public static func list(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }
}
