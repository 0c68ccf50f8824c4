import ArgumentParser

/// `osm version`
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of this osm binary.",
        discussion: "Prints 'Version: <version>; Commit: <git commit>; Date: <commit date, UTC>'; -o json or -o yaml adds build details.")

    @OptionGroup var format: OutputOptions

    func run() throws {
        switch format.output {
        case .text: OutputPrinter.print(line: BuildInfo.line)
        case .json, .yaml: OutputPrinter.print(BuildInfo.value, as: format.output)
        }
    }
}
