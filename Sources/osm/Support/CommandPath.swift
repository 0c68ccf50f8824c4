import ArgumentParser

/// The subcommand the leading words of the arguments name (aliases included), with its
/// canonical name path (one name per word).
enum CommandPath {
    static func resolve(_ arguments: [String]) -> (type: ParsableCommand.Type, names: [String]) {
        var type: ParsableCommand.Type = OSMCommand.self
        var names: [String] = []
        for word in arguments {
            if word.hasPrefix("-") { break }
            guard let next = type.configuration.subcommands.first(where: {
                $0._commandName == word || $0.configuration.aliases.contains(word)
            }) else { break }
            type = next
            names.append(next._commandName)
        }
        return (type, names)
    }
}
