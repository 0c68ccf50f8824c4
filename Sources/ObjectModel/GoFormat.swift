/// Go's `fmt` verbs where upstream's messages use them, so that the texts match byte for byte.
public enum GoFormat {
    /// `%q` of a string: double quotes, with `"` and `\` escaped and control characters as Go
    /// writes them (`\n`, `\a`, `\x1b`...), so a value never acts on the terminal.
    public static func quoted(_ s: String) -> String { "\"" + escaped(s) + "\"" }

    /// The inside of `%q`.
    public static func escaped(_ s: String) -> String { Escaper.goQuote.escaped(s) }

    /// `%v` of a `[]string` (or a set's `ToSlice()`): `[a b c]`.
    public static func list(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }
}
