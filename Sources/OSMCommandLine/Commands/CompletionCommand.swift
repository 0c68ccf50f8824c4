import ArgumentParser
import ObjectModel

/// `osm completion bash|zsh|fish`: what `--generate-completion-script <shell>` prints, in the
/// form kubectl and other cobra-based tools offer.
struct CompletionCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print a shell completion script.",
        discussion: """
            Examples:
              $ source <(osm completion bash)
              $ osm completion zsh > "${fpath[1]}/_osm"
              $ osm completion fish > ~/.config/fish/completions/osm.fish
            """)

    enum Shell: String, CaseIterable, ExpressibleByArgument {
        case bash, zsh, fish
    }

    static let flags: [GoFlag] = []
    static let positionalArgs: CobraArgs? = .exact(1)

    @Argument(help: ArgumentHelp("Shell: bash, zsh or fish", valueName: "shell"))
    var shell: Shell

    init() {}

    init(parsed p: ParsedCommand) throws {
        guard let shell = Shell(rawValue: p.arguments[0]) else {
            throw CLIError(.invalidInput, "unsupported shell \(GoFormat.quoted(p.arguments[0])): bash, zsh or fish")
        }
        self.shell = shell
    }

    func run() throws {
        guard let completionShell = CompletionShell(rawValue: shell.rawValue) else {
            throw CLIError("no completion script for \(shell.rawValue)")
        }
        OutputPrinter.print(line: OSMCommand.completionScript(for: completionShell))
    }
}
