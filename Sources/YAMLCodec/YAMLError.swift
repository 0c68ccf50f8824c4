import ObjectModel
/// A YAML document that libyaml could not read, with where it went wrong (1-based).
public struct YAMLError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public let line: Int
    public let column: Int

    public init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
