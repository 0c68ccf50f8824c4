import KubeClient
import ObjectModel

/// A flag's value after pflag's `Value.Set`, typed as its Go type.
enum GoFlagValue: Sendable, Equatable {
    case bool(Bool)
    case string(String)
    case list([String])
    case unsigned(UInt64)
    case signed(Int64)
    case duration(GoDuration)

    /// The text after `invalid argument "v" for "--flag" flag: `: Go's own error.
    struct Invalid: Error {
        let reason: String
    }

    /// `value` read as a flag of `kind`; `previous` is the list a slice or array flag already
    /// holds from an earlier use on the same command line (nil on the first use).
    static func parse(_ value: String, as kind: GoFlag.Kind, appendingTo previous: [String]?) throws(Invalid) -> GoFlagValue {
        switch kind {
        case .bool:
            guard let b = GoBool.parse(value) else { throw Invalid(reason: "strconv.ParseBool: parsing \(GoFormat.quoted(value)): invalid syntax") }
            return .bool(b)
        case .string:
            return .string(value)
        case .stringSlice:
            // string_slice.go readAsCSV: "" is the empty list, else one CSV record.
            let record = value.isEmpty ? [] : try CSVRecord.read(value)
            return .list((previous ?? []) + record)
        case .stringArray:
            return .list((previous ?? []) + [value])
        case .uint16:
            return .unsigned(try GoInteger.parseUnsigned(value, bitSize: 16))
        case .int:
            return .signed(try GoInteger.parseSigned(value, bitSize: 64))
        case .duration:
            do {
                return .duration(try GoDuration(parsing: value))
            } catch {
                throw Invalid(reason: error.description)
            }
        }
    }
}

/// Go's `strconv.ParseUint`/`ParseInt` with base 0 (strconv/atoi.go), as pflag's integer flags
/// call them: `0x`, `0o`, `0b` and a leading `0` (octal) prefixes, `_` between digits, and the
/// same syntax-or-range error at the same character.
enum GoInteger {
    static func parseUnsigned(_ s: String, bitSize: Int) throws(GoFlagValue.Invalid) -> UInt64 {
        let max: UInt64 = bitSize == 64 ? .max : (1 << UInt64(bitSize)) - 1
        switch unsigned(Array(s.utf8), max: max) {
        case .value(let n): return n
        case .syntax: throw failure("strconv.ParseUint", s, "invalid syntax")
        case .range: throw failure("strconv.ParseUint", s, "value out of range")
        }
    }

    static func parseSigned(_ s: String, bitSize: Int) throws(GoFlagValue.Invalid) -> Int64 {
        var bytes = Array(s.utf8)
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        let cutoff = UInt64(1) << UInt64(bitSize - 1)
        switch unsigned(bytes, max: .max) {
        case .syntax: throw failure("strconv.ParseInt", s, "invalid syntax")
        case .range: throw failure("strconv.ParseInt", s, "value out of range")
        case .value(let n):
            if !negative && n >= cutoff || negative && n > cutoff { throw failure("strconv.ParseInt", s, "value out of range") }
            return negative ? (n == cutoff ? -Int64(bitPattern: cutoff - 1) - 1 : -Int64(n)) : Int64(n)
        }
    }

    private enum Outcome { case value(UInt64), syntax, range }

    private static func unsigned(_ s0: [UInt8], max: UInt64) -> Outcome {
        guard !s0.isEmpty else { return .syntax }
        var s = s0[...]
        var base: UInt64 = 10
        if s0[0] == UInt8(ascii: "0") {
            let second = s0.count >= 3 ? s0[1] | 0x20 : 0
            switch second {
            case UInt8(ascii: "b"): base = 2; s = s0[2...]
            case UInt8(ascii: "o"): base = 8; s = s0[2...]
            case UInt8(ascii: "x"): base = 16; s = s0[2...]
            default: base = 8; s = s0[1...]
            }
        }
        var underscores = false
        var n: UInt64 = 0
        for c in s {
            let d: UInt64
            let lower = c | 0x20
            if c == UInt8(ascii: "_") { underscores = true; continue }
            else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { d = UInt64(c - UInt8(ascii: "0")) }
            else if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") { d = UInt64(lower - UInt8(ascii: "a")) + 10 }
            else { return .syntax }
            guard d < base else { return .syntax }
            let (m, o1) = n.multipliedReportingOverflow(by: base)
            let (sum, o2) = m.addingReportingOverflow(d)
            if o1 || o2 || sum > max { return .range }
            n = sum
        }
        if underscores && !underscoreOK(s0) { return .syntax }
        return .value(n)
    }

    /// strconv's underscoreOK: '_' only between digits or right after a base prefix.
    private static func underscoreOK(_ s: [UInt8]) -> Bool {
        var saw: UInt8 = UInt8(ascii: "^")
        var i = 0
        var hex = false
        if s.count >= 2, s[0] == UInt8(ascii: "0"), [UInt8(ascii: "b"), UInt8(ascii: "o"), UInt8(ascii: "x")].contains(s[1] | 0x20) {
            i = 2
            saw = UInt8(ascii: "0")
            hex = s[1] | 0x20 == UInt8(ascii: "x")
        }
        while i < s.count {
            let c = s[i]
            i += 1
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") || hex && (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "f") {
                saw = UInt8(ascii: "0")
                continue
            }
            if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
                continue
            }
            if saw == UInt8(ascii: "_") { return false }
            saw = UInt8(ascii: "!")
        }
        return saw != UInt8(ascii: "_")
    }

    private static func failure(_ fn: String, _ s: String, _ what: String) -> GoFlagValue.Invalid {
        GoFlagValue.Invalid(reason: "\(fn): parsing \(GoFormat.quoted(s)): \(what)")
    }
}

/// One record of Go's `encoding/csv` reader with its defaults (comma `,`, no lazy quotes), as
/// pflag's string slices read each value.
enum CSVRecord {
    static func read(_ text: String) throws(GoFlagValue.Invalid) -> [String] {
        let bytes = Array(text.utf8)
        var fields: [String] = []
        var i = 0
        // The reader reads one line: a record ends at the first newline outside quotes.
        while true {
            var field: [UInt8] = []
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                let start = i
                i += 1
                while true {
                    guard i < bytes.count else {
                        throw error(column: start + 1, "extraneous or missing \" in quoted-field")
                    }
                    if bytes[i] == UInt8(ascii: "\"") {
                        if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                            field.append(UInt8(ascii: "\""))
                            i += 2
                            continue
                        }
                        i += 1
                        guard i == bytes.count || bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "\n") else {
                            throw error(column: i + 1, "extraneous or missing \" in quoted-field")
                        }
                        break
                    }
                    field.append(bytes[i])
                    i += 1
                }
            } else {
                while i < bytes.count, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "\n") {
                    if bytes[i] == UInt8(ascii: "\"") { throw error(column: i + 1, "bare \" in non-quoted-field") }
                    field.append(bytes[i])
                    i += 1
                }
                if field.last == UInt8(ascii: "\r") && (i == bytes.count || bytes[i] == UInt8(ascii: "\n")) { field.removeLast() }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { break }
            i += 1
        }
        return fields
    }

    private static func error(column: Int, _ what: String) -> GoFlagValue.Invalid {
        GoFlagValue.Invalid(reason: "parse error on line 1, column \(column): \(what)")
    }
}
