/// A failure to start or configure the simulator, with a one-line message.
public struct KubeSimError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
