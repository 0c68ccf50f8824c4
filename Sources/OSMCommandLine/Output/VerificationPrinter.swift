import KubeClient
import MeshControl

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints `osm verify` results as upstream v1.x's `verifier.Print` does (`[+] Context: ...`,
/// `Status: ...`, then `Reason:` and `Suggestion:` when set, a blank line; nested checks one `+`
/// deeper), between dashed rules. Unlike upstream, the nested checks of a success are printed
/// too, so every check shows its verdict. The status is coloured on a terminal unless `NO_COLOR`.
enum VerificationPrinter {
    static let rule = "---------------------------------------------"

    static func print(_ results: [Verification]) {
        let color = isatty(1) == 1 && (Environment.value("NO_COLOR") ?? "").isEmpty
        var out = rule + "\n"
        for (i, r) in results.enumerated() {
            if i > 0 { out += rule + "\n" }
            render(r, depth: 1, color: color, into: &out)
        }
        out += rule + "\n"
        Swift.print(out, terminator: "")
    }

    /// Names and answers in a check's text come from the cluster and its sidecars: control
    /// characters are shown escaped.
    static func render(_ r: Verification, depth: Int, color: Bool, into out: inout String) {
        out += "[\(String(repeating: "+", count: depth))] Context: \(ServerText.printable(r.context))\n"
        out += "Status: \(color ? colored(r.status) : r.status.rawValue)\n"
        if !r.reason.isEmpty { out += "Reason: \(ServerText.printable(r.reason))\n" }
        if !r.suggestion.isEmpty { out += "Suggestion: \(ServerText.printable(r.suggestion))\n" }
        out += "\n"
        for n in r.nested { render(n, depth: depth + 1, color: color, into: &out) }
    }

    private static func colored(_ s: Verification.Status) -> String {
        let code: String
        switch s {
        case .success: code = "32"
        case .failure: code = "31"
        case .unknown: code = "33"
        }
        return "\u{1B}[\(code)m\(s.rawValue)\u{1B}[0m"
    }
}
