import ArgumentParser

/// `osm env`
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print the environment settings osm uses.",
        discussion: "Prints each setting as NAME=\"value\", sorted by name.")

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        OutputPrinter.print(line: "\(NamespaceOption.environmentVariable)=\"\(namespace.osmNamespace())\"")
    }
}
