import ArgumentParser

/// `-o text|json|yaml` for the read commands.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: text, json or yaml", valueName: "format"))
    var output: OutputFormat = .text
}
