import KubeClient

/// Go pflag's syntax, applied to the raw arguments before ArgumentParser sees them: bool flags,
/// and a short option's value glued to it (`-v6`, as kubectl takes it).
///
/// Every bool flag is declared as an option taking a `<bool>` value (see `GoBoolValue`); here a
/// bare `--enable-egress` becomes `--enable-egress=true`, so `--flag`, `--flag=true`,
/// `--flag=false` and all `strconv.ParseBool` spellings work as upstream. `--flag false` (a
/// separate word that spells a bool) is refused: upstream silently drops the `false` and turns
/// the flag on, and a tool for CI scripts must not guess either way.
enum GoFlagSyntax {
    /// Long names of every bool flag of every command. `GoBoolFlagTests` checks this against the
    /// parser's own description of the commands (`--experimental-dump-help`).
    static let longNames: Set<String> = [
        "atomic", "resume", "deploy-grafana", "deploy-jaeger", "deploy-prometheus",
        "disable-sidecar-injection", "dry-run", "enable-debug-server", "enable-egress",
        "enable-fluentbit", "enable-permissive-traffic-policy", "enable-privileged-init-container",
        "enable-prometheus-scraping", "enable-tracing", "enforce-single-mesh", "force",
        "use-https-ingress",
    ]

    /// Short names of bool flags, with their long names.
    static let shortNames: [String: String] = ["f": "force"]

    struct UsageError: Error {
        let message: String
    }

    static func normalize(_ arguments: [String]) throws(UsageError) -> [String] {
        var result: [String] = []
        result.reserveCapacity(arguments.count)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                result.append(contentsOf: arguments[(index - 1)...])
                break
            }
            let spelled: String
            let long: String
            if argument.hasPrefix("--"), longNames.contains(String(argument.dropFirst(2))) {
                spelled = argument
                long = String(argument.dropFirst(2))
            } else if argument.count == 2, argument.hasPrefix("-"),
                      let name = shortNames[String(argument.dropFirst())] {
                spelled = argument
                long = name
            } else if let glued = Self.gluedShortValue(argument) {
                result.append(glued)
                continue
            } else if argument.hasPrefix("--"), argument.count > 2, !argument.contains("="), index < arguments.count,
                      Self.looksNegative(arguments[index]) {
                // pflag takes the next word as the value even when it starts with '-': `--timeout -1s`
                // is a negative duration (refused as such by the option), not a missing value.
                result.append("\(argument)=\(arguments[index])")
                index += 1
                continue
            } else {
                result.append(argument)
                continue
            }
            if index < arguments.count, let value = GoBool.parse(arguments[index]) {
                let word = arguments[index]
                let form = spelled.hasPrefix("--") ? spelled : "--\(long)"
                throw UsageError(message: """
                    '\(spelled) \(word)': a bool flag takes its value after '=', as in '\(form)=\(value)'; \
                    '\(spelled)' alone means true. (If '\(word)' is a name, put it before the flag or after '--'.)
                    """)
            }
            result.append("\(spelled)=true")
        }
        return result
    }

    /// `-1s`, `-5`, `-.5h`: a negative number or duration, never an option name.
    static func looksNegative(_ word: String) -> Bool {
        let c = Array(word.utf8.prefix(2))
        return c.count == 2 && c[0] == UInt8(ascii: "-") && ((48...57).contains(c[1]) || c[1] == UInt8(ascii: "."))
    }

    /// Short options that take a value which pflag lets follow without a space (`-v6`).
    static let shortOptionsWithValues: Set<Character> = ["v"]

    /// `-v6` -> `-v=6`; nil for anything else.
    private static func gluedShortValue(_ argument: String) -> String? {
        let characters = Array(argument)
        guard characters.count > 2, characters[0] == "-", shortOptionsWithValues.contains(characters[1]),
              characters[2] != "=", characters[2...].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return "-\(characters[1])=\(String(characters[2...]))"
    }
}
