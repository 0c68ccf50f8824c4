import ArgumentParser

/// The root's persistent flags, as upstream's cobra root declares `--osm-namespace`: accepted
/// before the subcommand (`osm --osm-namespace x env`) and on every subcommand, including those
/// that do not use them (`osm version --osm-namespace x`). This osm's kubectl flags
/// (`--kubeconfig`, `--context`, `--request-timeout`, `-v`) are persistent the same way.
///
/// ArgumentParser has no persistent options, so before parsing they are taken out of the
/// arguments wherever they stand and put back right after the subcommand's name when that
/// command declares them (`ClusterOptions`, or `NamespaceOption` alone); a command that does
/// not use one ignores it, as cobra does.
enum PersistentFlags {
    /// Long names that take a value (`--name value` or `--name=value`).
    static let clusterLongNames: Set<String> = ["kubeconfig", "context", "request-timeout", "v"]
    static let namespaceLongName = "osm-namespace"

    struct Flag {
        var name: String
        /// The words as they go back in: `--name=value`.
        var word: String
    }

    static func hoist(_ arguments: [String]) -> [String] {
        var rest: [String] = []
        var flags: [Flag] = []
        var tail: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                tail = Array(arguments[(index - 1)...])
                break
            }
            guard let (name, inlineValue) = split(argument) else {
                rest.append(argument)
                continue
            }
            var value = inlineValue
            if value == nil {
                // A flag at the end without its value stays for ArgumentParser to report.
                guard index < arguments.count else {
                    rest.append(argument)
                    continue
                }
                value = arguments[index]
                index += 1
            }
            flags.append(Flag(name: name, word: "--\(name)=\(value!)"))
        }
        guard !flags.isEmpty else { return arguments }

        let path = CommandPath.resolve(rest)
        let accepted = acceptedNames(of: path.type)
        let kept = flags.filter { accepted.contains($0.name) }.map(\.word)
        var result = Array(rest[..<path.names.count])
        result += kept
        result += rest[path.names.count...]
        return result + tail
    }

    /// `--osm-namespace x`, `--osm-namespace=x`, `-v 6`, `-v=6`, `-v6`, `--v 6`: the flag's long
    /// name and its value when glued to it.
    private static func split(_ argument: String) -> (String, String?)? {
        if argument.hasPrefix("--") {
            let body = argument.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            guard name == namespaceLongName || clusterLongNames.contains(name) else { return nil }
            if let equals = body.firstIndex(of: "=") { return (name, String(body[body.index(after: equals)...])) }
            return (name, nil)
        }
        if argument == "-v" { return ("v", nil) }
        if argument.hasPrefix("-v=") { return ("v", String(argument.dropFirst(3))) }
        if argument.hasPrefix("-v"), argument.dropFirst(2).allSatisfy(\.isNumber) { return ("v", String(argument.dropFirst(2))) }
        return nil
    }

    /// Which persistent flags a command declares, read from its option groups.
    private static func acceptedNames(of type: ParsableCommand.Type) -> Set<String> {
        let command = type.init()
        var names: Set<String> = []
        for child in Mirror(reflecting: command).children {
            if child.value is OptionGroup<ClusterOptions> {
                names.formUnion(clusterLongNames)
                names.insert(namespaceLongName)
            } else if child.value is OptionGroup<NamespaceOption> {
                names.insert(namespaceLongName)
            }
        }
        return names
    }
}
