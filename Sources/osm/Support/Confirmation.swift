import YAML

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
            switch answer.trimmingWhitespace.lowercased() {
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
