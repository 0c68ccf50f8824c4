import ArgumentParser

/// `osm completion bash|zsh|fish`: what `--generate-completion-script <shell>` prints, in the
/// form kubectl and other cobra-based tools offer.
struct CompletionCommand: ParsableCommand {
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

    @Argument(help: ArgumentHelp("Shell: bash, zsh or fish", valueName: "shell"))
    var shell: Shell

    func run() throws {
        guard let completionShell = CompletionShell(rawValue: shell.rawValue) else {
            throw CLIError("no completion script for \(shell.rawValue)")
        }
        OutputPrinter.print(line: OSMCommand.completionScript(for: completionShell))
    }
}
