/// A failure of an osm action, worded for the person who ran the command.
public struct OSMError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
