import ArgumentParser
import KubeClient
import ObjectModel

/// A command that runs: its flags and positional-argument rule as upstream's cobra declares
/// them, and how it takes its values from the parse. ArgumentParser's declaration of the same
/// type gives help, man pages and completions; it never parses a command line that runs.
protocol PflagCommand: ParsableCommand {
    /// The command's own flags (cobra's `cmd.Flags()`), beside the root's persistent ones.
    static var flags: [GoFlag] { get }
    /// cobra's `Args`; nil means cobra's legacy rule (a command without subcommands takes and
    /// ignores any argument).
    static var positionalArgs: CobraArgs? { get }
    /// Every property of the command, set from the parse (defaults included).
    init(parsed: ParsedCommand) throws
}

/// cobra v1.1.1's PositionalArgs (args.go), with its texts.
enum CobraArgs: Sendable {
    case none
    case exact(Int)
    case minimum(Int)
    case maximum(Int)

    func validate(_ args: [String], commandPath: String) -> String? {
        switch self {
        case .none where !args.isEmpty:
            return "unknown command \(GoFormat.quoted(args[0])) for \(GoFormat.quoted(commandPath))"
        case .exact(let n) where args.count != n:
            return "accepts \(n) arg(s), received \(args.count)"
        case .minimum(let n) where args.count < n:
            return "requires at least \(n) arg(s), only received \(args.count)"
        case .maximum(let n) where args.count > n:
            return "accepts at most \(n) arg(s), received \(args.count)"
        default:
            return nil
        }
    }
}

/// What the front end parsed for the command that runs.
struct ParsedCommand {
    let flagSet: FlagSet
    /// The positional arguments (pflag's `Args()`).
    var arguments: [String] { flagSet.arguments }

    func isGiven(_ flag: GoFlag) -> Bool { flagSet.isGiven(flag) }

    func string(_ flag: GoFlag) -> String {
        if case .string(let s) = flagSet.value(flag) { return s }
        return flag.defaultValue
    }

    func bool(_ flag: GoFlag) -> Bool {
        if case .bool(let b) = flagSet.value(flag) { return b }
        return false
    }

    func list(_ flag: GoFlag) -> [String] {
        if case .list(let l) = flagSet.value(flag) { return l }
        return []
    }

    func uint16(_ flag: GoFlag) -> UInt16 {
        if case .unsigned(let n) = flagSet.value(flag) { return UInt16(truncatingIfNeeded: n) }
        return 0
    }

    func int(_ flag: GoFlag) -> Int {
        if case .signed(let n) = flagSet.value(flag) { return Int(truncatingIfNeeded: n) }
        return 0
    }

    func duration(_ flag: GoFlag) -> GoDuration {
        if case .duration(let d) = flagSet.value(flag) { return d }
        return GoDuration(nanoseconds: 0)
    }

    /// The value only when the flag was given (`cmd.Flags().Changed(name)`), as mesh upgrade reads its flags.
    func ifGiven<T>(_ flag: GoFlag, _ read: (GoFlag) -> T) -> T? { isGiven(flag) ? read(flag) : nil }
}
