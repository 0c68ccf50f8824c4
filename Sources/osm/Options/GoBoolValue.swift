import ArgumentParser
import KubeClient

/// A bool flag's value in Go `strconv.ParseBool` spellings, for `@Option(transform:)`.
enum GoBoolValue {
    static let valueName = "bool"

    struct InvalidValue: Error, CustomStringConvertible {
        let value: String
        var description: String {
            // pflag's text, which upstream prints as `invalid argument "x" for "--flag" flag: ...`.
            "strconv.ParseBool: parsing \"\(value)\": invalid syntax"
        }
    }

    static func parse(_ text: String) throws -> Bool {
        guard let value = GoBool.parse(text) else { throw InvalidValue(value: text) }
        return value
    }

    /// Help for a bool flag. ArgumentParser shows no default for an option with a transform, so
    /// the default goes into the text; nil means "unchanged" (`mesh upgrade`).
    static func help(_ abstract: String, default value: Bool?) -> ArgumentHelp {
        ArgumentHelp("\(abstract) (default: \(value.map { String($0) } ?? "unchanged"))", valueName: valueName)
    }
}
