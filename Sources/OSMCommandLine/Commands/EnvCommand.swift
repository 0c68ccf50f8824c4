import ArgumentParser

/// `osm env`
struct EnvCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print the environment settings osm uses.",
        discussion: "Prints each setting as NAME=\"value\", sorted by name.")

    static let flags: [GoFlag] = []
    /// env.go: cobra.NoArgs.
    static let positionalArgs: CobraArgs? = CobraArgs.none

    @OptionGroup var namespace: NamespaceOption

    init() {}

    init(parsed p: ParsedCommand) throws {
        namespace = NamespaceOption(parsed: p)
    }

    func run() throws {
        OutputPrinter.print(line: "\(NamespaceOption.environmentVariable)=\"\(namespace.osmNamespace())\"")
    }
}
