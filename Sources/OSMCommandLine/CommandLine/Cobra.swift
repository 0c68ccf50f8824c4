import ArgumentParser
import ObjectModel

/// cobra v1.1.1's `ExecuteC` over osm's command tree (ArgumentParser's declaration of it): which
/// command the words name (`Find`: `stripFlags`, `findNext`, `argsMinusFirstX`, `legacyArgs`),
/// then that command's flags (`FlagSet`), help, and `ValidateArgs`, in cobra's order and with
/// its texts and streams. Upstream's root sets `SilenceUsage`, so a failure prints `Error: ...`
/// alone, and a failure to find the command adds `Run 'osm --help' for usage.`
enum Cobra {
    enum Outcome {
        /// Run this command with what was parsed.
        case run(any PflagCommand.Type, ParsedCommand)
        /// Help for this command on stdout, exit 0 (`-h`, `--help`, a group without `Run`).
        case help(ParsableCommand.Type)
        /// `osm help WORDS` that name no command: cobra's text and the root's usage on stderr, exit 0.
        case unknownHelpTopic([String])
        /// What cobra prints on stderr, exit 1.
        case failure(String)
    }

    /// A node of the tree: a command type, or cobra's own `help` command (root only).
    private enum Node {
        case command(ParsableCommand.Type)
        case helpCommand

        var type: ParsableCommand.Type { if case .command(let t) = self { return t } else { return OSMCommand.self } }
        var name: String { if case .command(let t) = self { return t._commandName } else { return "help" } }
        var isRoot: Bool { if case .command(let t) = self { return t == OSMCommand.self } else { return false } }

        var children: [Node] {
            guard case .command(let t) = self else { return [] }
            let subcommands = t.configuration.subcommands.map(Node.command)
            return isRoot ? subcommands + [.helpCommand] : subcommands
        }

        func isCalled(_ word: String) -> Bool {
            switch self {
            case .command(let t): return t._commandName == word || t.configuration.aliases.contains(word)
            case .helpCommand: return word == "help"
            }
        }
    }

    /// The root's persistent flags, which every command takes (`cmd.PersistentFlags()` in
    /// upstream's osm.go: --osm-namespace; this osm adds kubectl's connection flags).
    static var persistentFlags: [GoFlag] { RootFlags.all }

    static func helpFlag(for name: String) -> GoFlag {
        GoFlag("help", "h", .bool, default: "false", "help for \(name)")
    }

    static func resolve(_ words: [String]) -> Outcome {
        let (node, path, rest, findError) = find(words)
        if let findError {
            // command.go ExecuteC: `Error: <err>` then `Run '<path> --help' for usage.`
            return .failure("Error: \(findError)\nRun '\(path.joined(separator: " ")) --help' for usage.\n")
        }
        let runnable: (any PflagCommand.Type)?
        if case .command(let t) = node { runnable = t as? any PflagCommand.Type } else { runnable = nil }
        var flagSet = FlagSet(flags: (runnable?.flags ?? []) + persistentFlags + [helpFlag(for: node.name)])
        do {
            try flagSet.parse(rest)
        } catch {
            return .failure("Error: \(error.message)\n")
        }
        let parsed = ParsedCommand(flagSet: flagSet)
        if parsed.bool(helpFlag(for: node.name)) { return .help(node.type) }
        if case .helpCommand = node {
            // The help command's Run: Find(args) from the root.
            let (topic, _, _, topicError) = find(parsed.arguments)
            if topicError != nil { return .unknownHelpTopic(parsed.arguments) }
            return .help(topic.type)
        }
        guard let runnable else { return .help(node.type) }
        if let rule = runnable.positionalArgs, let message = rule.validate(parsed.arguments, commandPath: path.joined(separator: " ")) {
            return .failure("Error: \(message)\n")
        }
        return .run(runnable, parsed)
    }

    /// command.go Find: the command the words name, its path, the words left for its flags, and
    /// the legacy-args error for a command with subcommands and no `Args` (the root).
    private static func find(_ words: [String]) -> (Node, [String], [String], String?) {
        var node = Node.command(OSMCommand.self)
        var path = ["osm"]
        var rest = words
        while true {
            let children = node.children
            guard !children.isEmpty else { break }
            guard let next = stripFlags(rest).first, let child = children.first(where: { $0.isCalled(next) }) else { break }
            if let i = rest.firstIndex(of: next) { rest.remove(at: i) }  // argsMinusFirstX
            node = child
            path.append(child.name)
        }
        // Only the root has subcommands and no Args (every group declares cobra.NoArgs).
        if node.isRoot, let word = stripFlags(rest).first {
            return (node, path, rest, "unknown command \(GoFormat.quoted(word)) for \"osm\"\(suggestions(for: word))")
        }
        return (node, path, rest, nil)
    }

    /// command.go stripFlags: the words that are not flags or (by the flag's declaration) a
    /// flag's value. The help flag is not declared yet when cobra looks, so `--help` and `-h`
    /// take the next word here, as in cobra.
    private static func stripFlags(_ words: [String]) -> [String] {
        var commands: [String] = []
        var rest = words[...]
        while let s = rest.first {
            rest = rest.dropFirst()
            if s == "--" { break }
            let takesValue: Bool
            if s.hasPrefix("--") && !s.contains("=") {
                takesValue = persistentFlags.first { $0.name == String(s.dropFirst(2)) }?.valueWhenBare == nil
            } else if s.hasPrefix("-") && !s.contains("=") && s.utf8.count == 2 {
                let c = s.utf8.last!
                takesValue = persistentFlags.first { $0.shorthand?.asciiValue == c }?.valueWhenBare == nil
            } else {
                takesValue = false
                if !s.isEmpty && !s.hasPrefix("-") { commands.append(s) }
                continue
            }
            if takesValue {
                if rest.count <= 1 { break }
                rest = rest.dropFirst()
            }
        }
        return commands
    }

    /// command.go findSuggestions: the root's available commands within two edits of the word
    /// (case-insensitive) or starting with it, in the order upstream adds them (cobra's own
    /// help command is never suggested).
    static func suggestions(for word: String) -> String {
        let upstreamOrder = ["mesh", "env", "install", "dashboard", "namespace", "metrics", "version", "proxy", "policy"]
        let ours = OSMCommand.configuration.subcommands.map { $0._commandName }
        let names = upstreamOrder.filter(ours.contains) + ours.filter { !upstreamOrder.contains($0) }
        let typed = word.lowercased()
        let matches = names.filter { levenshtein(typed, $0.lowercased()) <= 2 || $0.lowercased().hasPrefix(typed) }
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

    /// Go's `%#q` of a `[]string`, as the help command prints an unknown topic: each word
    /// backquoted when it can be, else double-quoted.
    static func backquotedList(_ words: [String]) -> String {
        "[" + words.map { w in
            let canBackquote = !w.contains("`") && w.unicodeScalars.allSatisfy { $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F && $0.value != 0xFEFF) }
            return canBackquote ? "`\(w)`" : GoFormat.quoted(w)
        }.joined(separator: " ") + "]"
    }
}
