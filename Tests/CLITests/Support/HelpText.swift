/// The OPTIONS section of `--help`, one entry per option with its wrapped lines joined.
struct HelpText {
    /// Option synopsis (`--enable-egress <bool>`) to its help text, whitespace collapsed.
    private(set) var options: [(synopsis: String, text: String)] = []

    /// ArgumentParser's column for option help text.
    static let textColumn = 26

    init(_ help: String) {
        var inOptions = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("OPTIONS:") { inOptions = true; continue }
            guard inOptions else { continue }
            if line.isEmpty || !line.hasPrefix(" ") { inOptions = !line.isEmpty && inOptions; continue }
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if indent == 2, trimmed.hasPrefix("-") {
                // "  --name <value>  text": the text starts at column 26, unless the synopsis is
                // too long, when it starts on the next line.
                let characters = Array(line)
                if characters.count > Self.textColumn, characters[Self.textColumn - 1] == " ", characters[Self.textColumn] != " " {
                    let synopsis = String(characters[..<Self.textColumn]).trimmingSpaces()
                    options.append((synopsis, String(characters[Self.textColumn...])))
                } else {
                    options.append((String(trimmed).trimmingSpaces(), ""))
                }
            } else if !options.isEmpty {
                let last = options.removeLast()
                let text = last.text.isEmpty ? String(trimmed) : last.text + " " + trimmed
                options.append((last.synopsis, text))
            }
        }
        options = options.map { ($0.synopsis, $0.text.split(separator: " ").joined(separator: " ")) }
    }

    /// The help text of the option whose synopsis has this long name.
    func text(for longName: String) -> String? {
        options.first { entry in
            entry.synopsis.split(whereSeparator: { $0 == " " || $0 == "," }).contains { $0 == Substring(longName) }
        }?.text
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
