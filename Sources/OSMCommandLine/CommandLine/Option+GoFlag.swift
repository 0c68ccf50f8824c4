import ArgumentParser
import KubeClient

/// A value ArgumentParser's declaration holds until the pflag front end sets the real one: only
/// there so that ArgumentParser documents the option as optional (it has a default).
protocol FlagPlaceholder {
    static var placeholder: Self { get }
}

extension String: FlagPlaceholder { static var placeholder: String { "" } }
extension Bool: FlagPlaceholder { static var placeholder: Bool { false } }
extension Int: FlagPlaceholder { static var placeholder: Int { 0 } }
extension UInt16: FlagPlaceholder { static var placeholder: UInt16 { 0 } }
extension GoDuration: FlagPlaceholder { static var placeholder: GoDuration { GoDuration(nanoseconds: 0) } }
extension Array: FlagPlaceholder { static var placeholder: Array { [] } }

/// ArgumentParser never parses a command line that runs (see `Cobra`); a transform that runs
/// would be a bug in the front end.
private struct DeclarationOnly: Error {}

@Sendable private func declarationOnly<T>(_: String) throws -> T { throw DeclarationOnly() }

extension GoFlag {
    var argumentNames: NameSpecification {
        shorthand.map { [.customShort($0), .customLong(name)] } ?? [.customLong(name)]
    }

    /// The help line: the usage, then the default the code uses.
    var argumentHelp: ArgumentHelp {
        ArgumentHelp(usage + (helpDefault.map { " (default: \($0))" } ?? ""), valueName: valueName)
    }
}

extension Option where Value: FlagPlaceholder {
    /// ArgumentParser's declaration of a flag: names and help from its `GoFlag`.
    init(_ flag: GoFlag, completion: CompletionKind? = nil) {
        self.init(wrappedValue: .placeholder, name: flag.argumentNames, help: flag.argumentHelp, completion: completion,
                  transform: declarationOnly)
    }
}

extension Option {
    /// The declaration of a flag whose property is nil when it is not given.
    init<T>(_ flag: GoFlag, completion: CompletionKind? = nil) where Value == T? {
        self.init(name: flag.argumentNames, help: flag.argumentHelp, completion: completion,
                  transform: declarationOnly)
    }
}

extension Option {
    /// The declaration of a flag the command cannot run without (cobra's MarkFlagRequired).
    init(required flag: GoFlag) {
        self.init(name: flag.argumentNames, help: flag.argumentHelp, transform: declarationOnly)
    }
}
