import ArgumentParser
import KubeClient
import OSM

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one invocation of `osm`: rewrites Go-style bool flags, parses, runs, and turns every
/// failure into `Error: <message>` and an exit code (1 for runtime errors, ArgumentParser's 64
/// for usage errors).
enum CommandLineRunner {
    static func run(_ arguments: [String]) -> Never {
        let normalized: [String]
        do {
            normalized = try GoFlagSyntax.normalize(arguments)
        } catch {
            exitWithUsageError(error, arguments: arguments)
        }

        var command: ParsableCommand
        do {
            command = try OSMCommand.parseAsRoot(normalized)
        } catch {
            OSMCommand.exit(withError: error)
        }

        do {
            try command.run()
        } catch let error where CLIError.isRuntimeFailure(error) {
            StandardError.write("Error: \(CLIError.message(for: error))\n")
            exit(1)
        } catch {
            // ArgumentParser's own outcomes (help, exit codes, validation) keep its handling.
            OSMCommand.exit(withError: error)
        }
        exit(0)
    }

    /// A usage error found before ArgumentParser saw the arguments: same shape and exit code
    /// as ArgumentParser's own (message, usage of the command the user typed, help hint).
    private static func exitWithUsageError(_ error: GoFlagSyntax.UsageError, arguments: [String]) -> Never {
        let path = commandPath(for: arguments)
        var text = "Error: \(error.message)\n"
        text += "Usage: \(OSMCommand.usageString(for: path.type))\n"
        text += "  See '\((["osm"] + path.names).joined(separator: " ")) --help' for more information.\n"
        StandardError.write(text)
        exit(ExitCode.validationFailure.rawValue)
    }

    /// The subcommand the leading words of `arguments` name (aliases included).
    static func commandPath(for arguments: [String]) -> (type: ParsableCommand.Type, names: [String]) {
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
