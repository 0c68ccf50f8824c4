import ObjectModel
import YAMLCodec

/// Writes results to stdout: plain lines, tables, JSON or YAML.
enum OutputPrinter {
    static func print(line: String) {
        Swift.print(line)
    }

    /// A value as JSON (pretty, one trailing newline) or YAML; text falls back to YAML.
    static func print(_ value: JSONValue, as format: OutputFormat) {
        switch format {
        case .json:
            Swift.print(value.jsonString(pretty: true))
        case .yaml, .text:
            let text = YAML.emit(value)
            Swift.print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }

    static func print(_ table: Table) {
        Swift.print(table.render(), terminator: "")
    }
}
