import ArgumentParser
@testable import OSMCommandLine

/// Parses arguments exactly as the binary does (cobra's and pflag's rules in `Cobra`, then the
/// command's `init(parsed:)` and `validate()`), in process, to check the values a command receives.
enum InProcessParse {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ arguments: [String]) throws -> any PflagCommand {
        switch Cobra.resolve(arguments) {
        case .run(let type, let parsed):
            var command = try type.init(parsed: parsed)
            try command.validate()
            return command
        case .failure(let text): throw Failure(description: text)
        case .help(let type): throw Failure(description: "help for \(type)")
        case .unknownHelpTopic(let words): throw Failure(description: "unknown help topic \(words)")
        }
    }

    static func parse<C: PflagCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        let command = try parse(arguments)
        guard let typed = command as? C else {
            throw Failure(description: "parsed \(Swift.type(of: command)), expected \(C.self)")
        }
        return typed
    }
}
