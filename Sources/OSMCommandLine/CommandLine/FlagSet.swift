import KubeClient
import ObjectModel

/// pflag v1.0.5's `FlagSet.Parse` over a command's flags (its own, the root's persistent ones
/// and cobra's `-h/--help`): every form pflag accepts (`--flag=v`, `--flag v`, `--flag=`,
/// `-fv`, `-f=v`, `-f v`, bool shorthands combined as `-bf`, `--` ending the flags, flags and
/// arguments interleaved) and pflag's error texts, which cobra prints after `Error: `.
struct FlagSet {
    let flags: [GoFlag]
    /// The flags given, by name, with their values as their Go types hold them.
    private(set) var given: [String: GoFlagValue] = [:]
    /// The words that are not flags or flag values, in order (`f.Args()`).
    private(set) var arguments: [String] = []

    struct Failure: Error {
        let message: String
    }

    init(flags: [GoFlag]) {
        self.flags = flags
    }

    func lookup(_ name: String) -> GoFlag? { flags.first { $0.name == name } }
    func lookup(shorthand: UInt8) -> GoFlag? {
        flags.first { $0.shorthand.map { $0.asciiValue == shorthand } ?? false }
    }

    /// flag.go parseArgs.
    mutating func parse(_ words: [String]) throws(Failure) {
        var rest = words[...]
        while let s = rest.first {
            rest = rest.dropFirst()
            let bytes = Array(s.utf8)
            if bytes.count < 2 || bytes[0] != UInt8(ascii: "-") {
                arguments.append(s)
                continue
            }
            if bytes[1] == UInt8(ascii: "-") {
                if bytes.count == 2 {
                    arguments += rest
                    return
                }
                try parseLong(s, bytes, &rest)
            } else {
                // "-abc": a series of shorthands; each may take the rest of the word or the next one.
                var shorthands = bytes[1...]
                while !shorthands.isEmpty {
                    try parseSingleShort(&shorthands, &rest)
                }
            }
        }
    }

    /// flag.go parseLongArg.
    private mutating func parseLong(_ s: String, _ bytes: [UInt8], _ rest: inout ArraySlice<String>) throws(Failure) {
        let body = bytes[2...]
        guard let first = body.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "=") else {
            throw Failure(message: "bad flag syntax: \(s)")
        }
        let equals = body.firstIndex(of: UInt8(ascii: "="))
        let name = String(decoding: body[..<(equals ?? body.endIndex)], as: UTF8.self)
        guard let flag = lookup(name) else {
            throw Failure(message: "unknown flag: --\(name)")
        }
        let value: String
        if let equals {
            value = String(decoding: body[(equals + 1)...], as: UTF8.self)
        } else if let bare = flag.valueWhenBare {
            try refuseSpacedBool(s, flag, rest.first)
            value = bare
        } else if let next = rest.first {
            value = next
            rest = rest.dropFirst()
        } else {
            throw Failure(message: "flag needs an argument: \(s)")
        }
        try set(flag, value)
    }

    /// flag.go parseSingleShortArg.
    private mutating func parseSingleShort(_ shorthands: inout ArraySlice<UInt8>, _ rest: inout ArraySlice<String>) throws(Failure) {
        let all = shorthands
        let c = all[all.startIndex]
        shorthands = all.dropFirst()
        guard let flag = lookup(shorthand: c) else {
            throw Failure(message: "unknown shorthand flag: \(Self.quotedByte(c)) in -\(String(decoding: all, as: UTF8.self))")
        }
        let value: String
        let second = all.index(after: all.startIndex)
        if all.count > 2, all[second] == UInt8(ascii: "=") {
            // "-f=v"
            value = String(decoding: all[(second + 1)...], as: UTF8.self)
            shorthands = []
        } else if let bare = flag.valueWhenBare {
            if all.count == 1 { try refuseSpacedBool("-\(Character(Unicode.Scalar(c)))", flag, rest.first) }
            value = bare
        } else if all.count > 1 {
            // "-fv" (and "-f=": the value "=")
            value = String(decoding: all[second...], as: UTF8.self)
            shorthands = []
        } else if let next = rest.first {
            value = next
            rest = rest.dropFirst()
        } else {
            throw Failure(message: "flag needs an argument: \(Self.quotedByte(c)) in -\(String(decoding: all, as: UTF8.self))")
        }
        try set(flag, value)
    }

    /// `--enable-egress false`: pflag sets the flag true and leaves `false` as an argument, which
    /// install ignores, so egress ends up on. This osm refuses that form (a listed difference)
    /// and says how to write it.
    private func refuseSpacedBool(_ spelled: String, _ flag: GoFlag, _ next: String?) throws(Failure) {
        guard let next, let value = GoBool.parse(next) else { return }
        let form = spelled.hasPrefix("--") ? spelled : "--\(flag.name)"
        throw Failure(message: """
            '\(spelled) \(next)': a bool flag takes its value after '=', as in '\(form)=\(value)'; \
            '\(spelled)' alone means true. (If '\(next)' is a name, put it before the flag or after '--'.)
            """)
    }

    /// flag.go FlagSet.Set: the value's own error, wrapped as pflag words it.
    private mutating func set(_ flag: GoFlag, _ value: String) throws(Failure) {
        let previous: [String]?
        if case .list(let l) = given[flag.name] { previous = l } else { previous = nil }
        do {
            given[flag.name] = try GoFlagValue.parse(value, as: flag.kind, appendingTo: previous)
        } catch {
            let name = flag.shorthand.map { "-\($0), --\(flag.name)" } ?? "--\(flag.name)"
            throw Failure(message: "invalid argument \(GoFormat.quoted(value)) for \(GoFormat.quoted(name)) flag: \(error.reason)")
        }
    }

    /// Go's `%q` of a byte: a quoted character literal.
    static func quotedByte(_ c: UInt8) -> String {
        switch c {
        case UInt8(ascii: "'"): return #"'\''"#
        case UInt8(ascii: "\\"): return #"'\\'"#
        case 0x07: return #"'\a'"#
        case 0x08: return #"'\b'"#
        case 0x0C: return #"'\f'"#
        case 0x0A: return #"'\n'"#
        case 0x0D: return #"'\r'"#
        case 0x09: return #"'\t'"#
        case 0x0B: return #"'\v'"#
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(c)))'"
        case 0xA1...0xFF where c != 0xAD: return "'\(Character(Unicode.Scalar(c)))'"
        default:
            let hex = String(c, radix: 16)
            return c < 0x80 ? "'\\x\(hex.count < 2 ? "0" + hex : hex)'" : "'\\u00\(hex)'"
        }
    }

    // MARK: values, as the command reads them

    func isGiven(_ flag: GoFlag) -> Bool { given[flag.name] != nil }

    /// The flag's value: as given, else its default.
    func value(_ flag: GoFlag) -> GoFlagValue {
        if let v = given[flag.name] { return v }
        if (flag.kind == .stringSlice || flag.kind == .stringArray) { return .list([]) }
        return (try? GoFlagValue.parse(flag.defaultValue, as: flag.kind, appendingTo: nil)) ?? .string(flag.defaultValue)
    }
}
