import ArgumentParser
@testable import osm

/// Parses arguments exactly as the binary does (Go bool syntax first, then ArgumentParser),
/// in process, to check the values a command receives.
enum ParsedCommand {
    static func parse(_ arguments: [String]) throws -> ParsableCommand {
        let normalized = try GoFlagSyntax.normalize(arguments)
        return try OSMCommand.parseAsRoot(normalized)
    }

    static func parse<C: ParsableCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        let command = try parse(arguments)
        guard let typed = command as? C else {
            throw ParseMismatch(description: "parsed \(Swift.type(of: command)), expected \(C.self)")
        }
        return typed
    }

    struct ParseMismatch: Error, CustomStringConvertible {
        let description: String
    }
}
