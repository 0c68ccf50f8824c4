/// Go's `fmt` verbs where upstream's messages use them, so that the texts match byte for byte.
public enum GoFormat {
    /// `%q` of a string: double quotes, with `"` and `\` and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `%v` of a `[]string` (or a set's `ToSlice()`): `[a b c]`.
    public static func list(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }
}
