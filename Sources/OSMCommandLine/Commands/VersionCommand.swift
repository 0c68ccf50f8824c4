import ArgumentParser

/// `osm version`
struct VersionCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of this osm binary.",
        discussion: "Prints 'Version: <version>; Commit: <git commit>; Date: <commit date, UTC>'; -o json or -o yaml adds build details.")

    static let flags = [OutputOptions.flag]
    /// version.go: cobra.NoArgs.
    static let positionalArgs: CobraArgs? = CobraArgs.none

    @OptionGroup var format: OutputOptions

    init() {}

    init(parsed p: ParsedCommand) throws {
        format = try OutputOptions(parsed: p)
    }

    func run() throws {
        switch format.output {
        case .text: OutputPrinter.print(line: BuildInfo.line)
        case .json, .yaml: OutputPrinter.print(BuildInfo.value, as: format.output)
        }
    }
}
