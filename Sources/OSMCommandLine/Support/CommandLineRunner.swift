import ArgumentParser
import KubeClient
import MeshControl

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one invocation of `osm`: cobra's and pflag's reading of the words (`Cobra`), then the
/// command; every failure is `Error: <message>` on stderr and exit 1, usage errors included, as
/// upstream's cobra; help goes to stdout and exits 0.
enum CommandLineRunner {
    /// ArgumentParser's own entry points (the completion scripts call back with `---completion`;
    /// the man page generator asks for `--experimental-dump-help`), which it answers itself.
    static let argumentParserRequests: Set<String> = ["--generate-completion-script", "---completion", "--experimental-dump-help"]

    static func run(_ arguments: [String]) -> Never {
        if let first = arguments.first, argumentParserRequests.contains(where: { first == $0 || first.hasPrefix($0 + "=") }) {
            OSMCommand.main(arguments)
            exit(0)
        }
        switch Cobra.resolve(arguments) {
        case .failure(let text):
            StandardError.write(text)
            exit(usageErrorExitCode)
        case .help(let type):
            print(OSMCommand.helpMessage(for: type))
            exit(0)
        case .unknownHelpTopic(let words):
            // cobra's help command: c.Printf and the root's Usage() both write to stderr.
            StandardError.write("Unknown help topic \(Cobra.backquotedList(words))\n\(OSMCommand.helpMessage())\n")
            exit(0)
        case .run(let type, let parsed):
            do {
                var command = try type.init(parsed: parsed)
                try command.validate()
                try command.run()
            } catch let exitCode as ExitCode {
                exit(exitCode.rawValue)
            } catch {
                guard let failure = CLIError.runtimeFailure(error) else {
                    // A command's validate(): ArgumentParser's ValidationError, one line.
                    StandardError.write("Error: \(error)\n")
                    exit(usageErrorExitCode)
                }
                StandardError.write("Error: \(CLIError.message(for: failure, userInput: arguments))\n")
                exit(CLIError.exitCode(for: failure.kind))
            }
            exit(0)
        }
    }

    /// cobra's exit code for every error, usage errors included.
    static let usageErrorExitCode: Int32 = 1
}
