import ArgumentParser

/// `-o text|json|yaml` for the read commands (this osm's; upstream prints text only).
struct OutputOptions: ParsableArguments {
    static let flag = GoFlag("output", "o", .string, default: OutputFormat.text.rawValue, valueName: "format",
                             "Output format: text, json or yaml")

    @Option(OutputOptions.flag) var output: OutputFormat

    init() {}

    init(parsed: ParsedCommand) throws {
        output = try OutputFormat.parse(parsed.string(Self.flag), flag: Self.flag)
    }
}
