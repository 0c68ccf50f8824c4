/// Go's `time.ParseDuration` syntax (`300ms`, `1.5h`, `2h45m`, `-1m`, `0`), which scripts
/// written for upstream's flags use.
package struct GoDuration: Hashable, Sendable, CustomStringConvertible {
    package let nanoseconds: Int64

    package init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    package init(seconds: Double) { self.nanoseconds = Int64(seconds * 1e9) }

    package var seconds: Double { Double(nanoseconds) / 1e9 }
    package var isZero: Bool { nanoseconds == 0 }

    package struct ParseError: Error, CustomStringConvertible, Sendable {
        package let input: String
        package var description: String { "time: invalid duration \"\(input)\"" }
    }

    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    package init(parsing text: String) throws(ParseError) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        if s == "0" { self.nanoseconds = 0; return }
        guard !s.isEmpty else { throw ParseError(input: text) }
        var total = 0.0
        while !s.isEmpty {
            let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                  let value = Double(number.hasPrefix(".") ? "0" + number : String(number))
            else { throw ParseError(input: text) }
            s = s.dropFirst(number.count)
            let unitText = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = Self.units.first(where: { $0.0 == unitText }) else { throw ParseError(input: text) }
            s = s.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total <= 9.223372036854775e18 else { throw ParseError(input: text) }
        self.nanoseconds = Int64(negative ? -total : total)
    }

    /// Go's `Duration.String()`: `1h2m3s`, `1.5s`, `300ms`, `0s`.
    package var description: String {
        var n = nanoseconds
        if n == 0 { return "0s" }
        let sign = n < 0 ? "-" : ""
        n = n.magnitude > UInt64(Int64.max) ? Int64.max : abs(n)
        if n < 1_000_000_000 {
            if n < 1_000 { return "\(sign)\(n)ns" }
            if n < 1_000_000 { return sign + Self.fraction(n, 1_000) + "µs" }
            return sign + Self.fraction(n, 1_000_000) + "ms"
        }
        let h = n / 3_600_000_000_000
        let m = (n / 60_000_000_000) % 60
        let rest = n % 60_000_000_000
        var out = sign
        if h > 0 { out += "\(h)h" }
        if h > 0 || m > 0 { out += "\(m)m" }
        out += Self.fraction(rest, 1_000_000_000) + "s"
        return out
    }

    private static func fraction(_ v: Int64, _ unit: Int64) -> String {
        let whole = v / unit
        var frac = String(v % unit)
        if frac == "0" { return String(whole) }
        frac = String(repeating: "0", count: String(unit).count - 1 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return "\(whole).\(frac)"
    }
}
