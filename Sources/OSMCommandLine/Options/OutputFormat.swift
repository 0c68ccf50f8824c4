import ArgumentParser

/// How a read command prints its result.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument, FlagPlaceholder {
    case text, json, yaml
    static var placeholder: OutputFormat { .text }
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// One of the cases by name, or pflag's usage error naming the flag and the choices.
    static func parse(_ text: String, flag: GoFlag) throws -> Self {
        guard let value = allCases.first(where: { $0.rawValue == text }) else {
            let choices = allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIError(.invalidInput, "invalid argument \"\(text)\" for \"\(flag.shorthand.map { "-\($0), " } ?? "")--\(flag.name)\" flag: must be one of \(choices)")
        }
        return value
    }
}
