import KubeClient
import OSM

/// A failure the executable reports itself, as one line for the person who ran the command.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }

    /// A failure of the work itself (exit 1), as opposed to ArgumentParser's help, exit codes
    /// and usage errors, which ArgumentParser reports.
    static func isRuntimeFailure(_ error: any Error) -> Bool {
        error is CLIError || error is OSMError || error is KubeError
    }

    /// The one-line message for any error a command throws.
    static func message(for error: any Error) -> String {
        switch error {
        case let error as CLIError: return error.message
        case let error as OSMError: return error.message
        case let error as KubeError: return error.message
        case let error as CustomStringConvertible: return error.description
        default: return String(describing: error)
        }
    }
}
