import ArgumentParser
import OSM
import YAML

/// Upstream's cobra/pflag wording for the usage errors scripts are most likely to meet (an
/// unknown flag, a flag without its value, a bad flag value, an unknown command), in place of
/// ArgumentParser's: just `Error: <text>`, as upstream's root silences the usage. Other usage
/// errors keep ArgumentParser's text and usage line.
enum CobraUsageError {
    /// The text after `Error: ` (and any lines cobra adds), or nil to keep ArgumentParser's.
    static func text(for message: String, arguments: [String]) -> String? {
        let line = message.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? message
        if let flag = quoted(line, after: "Unknown option '") {
            if flag.hasPrefix("--") { return "unknown flag: \(flag)" }
            if flag.hasPrefix("-"), flag.count >= 2 {
                return "unknown shorthand flag: '\(flag.dropFirst().prefix(1))' in \(flag)"
            }
        }
        if let spelled = quoted(line, after: "Missing value for '") {
            let flag = String(spelled.prefix { $0 != " " })
            if flag.hasPrefix("--") { return "flag needs an argument: \(flag)" }
            if flag.hasPrefix("-") { return "flag needs an argument: '\(flag.dropFirst())' in \(flag)" }
        }
        if line.hasPrefix("The value '"), let valueEnd = line.firstRange(of: "' is invalid for '"),
           let flagEnd = line[valueEnd.upperBound...].firstRange(of: "': ") {
            let value = String(line[line.index(line.startIndex, offsetBy: 11)..<valueEnd.lowerBound])
            let flag = String(line[valueEnd.upperBound..<flagEnd.lowerBound].prefix { $0 != " " })
            let reason = String(line[flagEnd.upperBound...])
            if flag.hasPrefix("--") {
                return "invalid argument \(goQuoted(value)) for \(goQuoted(flag)) flag: \(reason)"
            }
        }
        let path = CommandPath.resolve(arguments)
        if let word = quoted(line, after: "Unexpected argument '"), path.names.isEmpty,
           arguments.first(where: { !$0.hasPrefix("-") }) == word {
            return "unknown command \(goQuoted(word)) for \"osm\"\(suggestions(for: word))\nRun 'osm --help' for usage."
        }
        if line.hasPrefix("Unexpected argument '") || line.hasPrefix("Missing expected argument '"),
           let arity = arities[path.names.joined(separator: " ")] {
            let given = positionals(arguments, after: path.names.count)
            let commandPath = (["osm"] + path.names).joined(separator: " ")
            switch arity {
            case .none where !given.isEmpty:
                return "unknown command \(goQuoted(given[0])) for \(goQuoted(commandPath))"
            case .exact(let n) where given.count != n:
                return "accepts \(n) arg(s), received \(given.count)"
            case .minimum(let n) where given.count < n:
                return "requires at least \(n) arg(s), only received \(given.count)"
            case .maximum(let n) where given.count > n:
                return "accepts at most \(n) arg(s), received \(given.count)"
            default:
                return nil
            }
        }
        return nil
    }

    /// Upstream's `Args` of each command that has them (cobra.NoArgs, ExactArgs...). `install`
    /// and `mesh upgrade` have none: upstream ignores stray arguments there, this osm refuses them.
    enum Arity {
        case none
        case exact(Int)
        case minimum(Int)
        case maximum(Int)
    }

    static let arities: [String: Arity] = [
        "mesh list": .exact(0), "mesh uninstall": .exact(0),
        "namespace add": .minimum(1), "namespace remove": .exact(1), "namespace list": .maximum(1), "namespace ignore": .minimum(1),
        "version": .none, "env": .none, "metrics enable": .none, "metrics disable": .none,
        "policy check-pods": .exact(2), "proxy get": .exact(2),
    ]

    /// The positional arguments after the command's name. The arguments are normalized by then:
    /// bool flags carry `=value`, so a flag without `=` takes the next word.
    static func positionals(_ arguments: [String], after pathCount: Int) -> [String] {
        let rest = Array(arguments.dropFirst(pathCount))
        var out: [String] = []
        var i = 0
        while i < rest.count {
            let word = rest[i]
            i += 1
            if word == "--" {
                out += rest[i...]
                break
            }
            if word.hasPrefix("-"), word.count > 1 {
                if !word.contains("="), !["-h", "--help"].contains(word) { i += 1 }
                continue
            }
            out.append(word)
        }
        return out
    }

    /// cobra's "Did you mean this?" block: commands within two edits, or starting with the word,
    /// in upstream's order of commands.
    static func suggestions(for word: String) -> String {
        let upstreamOrder = ["mesh", "env", "install", "dashboard", "namespace", "metrics", "version", "proxy", "policy", "help"]
        let ours = OSMCommand.configuration.subcommands.map { $0._commandName }
        let names = upstreamOrder.filter { $0 == "help" || ours.contains($0) } + ours.filter { !upstreamOrder.contains($0) }
        let typed = word.lowercased()
        let matches = names.filter { levenshtein(typed, $0) <= 2 || $0.hasPrefix(typed) }
        guard !matches.isEmpty else { return "" }
        return "\n\nDid you mean this?\n" + matches.map { "\t\($0)\n" }.joined()
    }

    private static func levenshtein(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var row = Array(0...t.count)
        for i in 1...s.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...t.count {
                let above = row[j]
                row[j] = s[i - 1] == t[j - 1] ? diagonal : min(diagonal, above, row[j - 1]) + 1
                diagonal = above
            }
        }
        return row[t.count]
    }

    private static func quoted(_ line: String, after prefix: String) -> String? {
        guard line.hasPrefix(prefix) else { return nil }
        let rest = line.dropFirst(prefix.count)
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }

    private static func goQuoted(_ text: String) -> String {
        GoFormat.quoted(text)
    }
}
