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
        "open-browser", "use-https-ingress",
    ]

    /// Short names of bool flags with their long names, by the command that declares them:
    /// `-f` is `--force` in `mesh uninstall` but `--file FILE` in `proxy get`.
    static let shortNamesByCommand: [String: [String: String]] = [
        "mesh uninstall": ["f": "force"],
        "dashboard": ["b": "open-browser"],
    ]

    /// Every command's short bool flags, with their long names.
    static var shortNames: [String: String] {
        shortNamesByCommand.values.reduce(into: [:]) { all, names in all.merge(names) { first, _ in first } }
    }

    struct UsageError: Error {
        let message: String
    }

    static func normalize(_ arguments: [String]) throws(UsageError) -> [String] {
        let shortNames = shortNamesByCommand[CommandPath.resolve(arguments).names.joined(separator: " ")] ?? [:]
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
            } else if let joined = Self.dashedValue(argument, next: index < arguments.count ? arguments[index] : nil) {
                result.append(joined)
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

    /// Long options that take no value (besides the bool flags).
    static let longNamesWithoutValue: Set<String> = ["help", "experimental-dump-help", "version"]

    /// `--mesh-name -x` -> `--mesh-name=-x`: pflag gives a value-taking flag the next word even
    /// when it starts with a dash; ArgumentParser would read it as an option. nil otherwise.
    private static func dashedValue(_ argument: String, next: String?) -> String? {
        guard argument.hasPrefix("--"), argument.count > 2, !argument.contains("="),
              let next, next.hasPrefix("-"), next != "--" else { return nil }
        let name = String(argument.dropFirst(2))
        guard !longNames.contains(name), !longNamesWithoutValue.contains(name) else { return nil }
        return "\(argument)=\(next)"
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
