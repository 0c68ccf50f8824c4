import KubeClient
import MeshControl

/// A failure the executable reports itself, as one line for the person who ran the command.
struct CLIError: Error, CustomStringConvertible {
    let kind: OSMError.Kind
    let message: String
    init(_ kind: OSMError.Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    init(_ message: String) { self.init(.other, message) }
    var description: String { message }

    /// A failure of the work itself, with its kind, as opposed to ArgumentParser's help, exit
    /// codes and usage errors, which ArgumentParser reports (nil for those).
    static func runtimeFailure(_ error: any Error) -> OSMError? {
        switch error {
        case let error as OSMError: return error
        case let error as KubeError: return OSMError(error)
        case let error as CLIError: return OSMError(error.kind, error.message)
        default: return nil
        }
    }

    /// The line printed after `Error: ` for a failure: the action's own wording, whatever the kind.
    static func message(for failure: OSMError) -> String { failure.message }

    /// `message(for:)`, with any control character that came from the command line (an
    /// argument, a flag's value, a `namespace/pod` half) or `$OSM_NAMESPACE` shown escaped:
    /// what the user typed never splits the error over lines. Lines the message itself breaks
    /// (upstream's multi-line texts) stay as they are.
    static func message(for failure: OSMError, userInput arguments: [String]) -> String {
        var values = Set<String>()
        for argument in arguments + [Environment.value(NamespaceOption.environmentVariable)].compactMap({ $0 }) {
            var forms = [argument]
            if argument.hasPrefix("-"), let eq = argument.firstIndex(of: "=") { forms.append(String(argument[argument.index(after: eq)...])) }
            for form in forms {
                values.insert(form)
                for part in form.split(separator: "/") { values.insert(String(part)) }
            }
        }
        var text = message(for: failure)
        for value in values.sorted(by: { $0.count > $1.count }) where ServerText.printable(value) != value {
            text = text.replacing(value, with: ServerText.printable(value))
        }
        return text
    }

    /// The exit code for each kind of failure: the one place it is decided. Upstream's cobra
    /// exits 1 for every error (usage errors included), so every kind exits 1 today; a kind
    /// that needs its own code gets it here. (An install stopped by a signal exits 128+signal,
    /// as a shell reports it: that is the signal's code, decided where the signal is seen.)
    static func exitCode(for kind: OSMError.Kind) -> Int32 {
        switch kind {
        case .kube, .invalidInput, .meshNotFound, .meshExists, .singleMeshEnforced, .partialInstall,
             .foreignObjects, .notInMesh, .unsupportedServer, .notReady, .badObject, .other:
            return 1
        }
    }
}
