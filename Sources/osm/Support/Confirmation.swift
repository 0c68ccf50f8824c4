/// A y/n question on the terminal, as upstream asks it: up to `tries` times; end of input is an
/// error (never a hang, never a guess).
enum Confirmation {
    static func ask(_ question: String, tries: Int) throws -> Bool {
        for _ in 0..<tries {
            print("\(question) [y/n]: ", terminator: "")
            fflushStdout()
            guard let answer = readLine() else {
                print("")
                throw CLIError("no answer on standard input; nothing was changed (use -f/--force to skip the question)")
            }
            switch answer.lowercased().trimmingCharacters(in: " \t\r") {
            case "y", "yes": return true
            case "n", "no": return false
            default: continue
            }
        }
        // As upstream: no clear answer is a "no".
        return false
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func fflushStdout() { fflush(nil) }

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
