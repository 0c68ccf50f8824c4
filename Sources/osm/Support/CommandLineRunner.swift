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
/// failure into `Error: <message>` and exit 1, usage errors included (as upstream's cobra);
/// `--help` exits 0.
enum CommandLineRunner {
    static func run(_ arguments: [String]) -> Never {
        let normalized: [String]
        do {
            normalized = PersistentFlags.hoist(try GoFlagSyntax.normalize(arguments))
        } catch {
            exitWithUsageError(error, arguments: arguments)
        }

        var command: ParsableCommand
        do {
            command = try OSMCommand.parseAsRoot(normalized)
        } catch {
            exitWithParserOutcome(error, arguments: normalized)
        }

        do {
            try command.run()
        } catch {
            guard let failure = CLIError.runtimeFailure(error) else {
                // ArgumentParser's own outcomes (help, exit codes, validation) keep its handling.
                exitWithParserOutcome(error, arguments: normalized)
            }
            StandardError.write("Error: \(CLIError.message(for: failure))\n")
            exit(CLIError.exitCode(for: failure.kind))
        }
        exit(0)
    }

    /// ArgumentParser's message for help, a usage error or an explicit exit code; usage errors
    /// exit 1 as cobra's do, not ArgumentParser's 64.
    private static func exitWithParserOutcome(_ error: any Error, arguments: [String]) -> Never {
        guard OSMCommand.exitCode(for: error) == .validationFailure else {
            OSMCommand.exit(withError: error)
        }
        if let text = CobraUsageError.text(for: OSMCommand.message(for: error), arguments: arguments) {
            StandardError.write("Error: \(text)\n")
            exit(usageErrorExitCode)
        }
        let message = OSMCommand.fullMessage(for: error)
        StandardError.write(message.hasSuffix("\n") ? message : message + "\n")
        exit(usageErrorExitCode)
    }

    /// cobra's exit code for every error, usage errors included.
    static let usageErrorExitCode: Int32 = 1

    /// A usage error found before ArgumentParser saw the arguments: same shape and exit code
    /// as ArgumentParser's own (message, usage of the command the user typed, help hint).
    private static func exitWithUsageError(_ error: GoFlagSyntax.UsageError, arguments: [String]) -> Never {
        let path = CommandPath.resolve(arguments)
        var text = "Error: \(error.message)\n"
        text += "Usage: \(OSMCommand.usageString(for: path.type))\n"
        text += "  See '\((["osm"] + path.names).joined(separator: " ")) --help' for more information.\n"
        StandardError.write(text)
        exit(usageErrorExitCode)
    }

}
