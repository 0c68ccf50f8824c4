#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A y/n question on standard input, as upstream's `confirm()` (cmd/cli/util.go) asks it: only
/// `y` or `n` (trimmed, any case) count; anything else, an empty line included, asks again, up to
/// `tries` times, and then the answer is no. Input that ends before a newline is an error, as
/// `bufio.Reader.ReadString('\n')` returns `io.EOF` there: `printf y | osm mesh uninstall` deletes
/// nothing.
enum Confirmation {
    static func ask(_ question: String, tries: Int) throws -> Bool {
        var input = LineReader(fd: 0)
        for _ in 0..<tries {
            // Upstream prints the prompt with fmt.Fprintf to stdout, no newline after it.
            print("\(question) [y/n]: ", terminator: "")
            fflush(nil)
            guard let line = input.readLine() else {
                throw CLIError("EOF: standard input ended before an answer to \"\(question)\"; nothing was changed (answer y or n on a line of its own, or pass -f/--force)")
            }
            // util.go: `if len(res) < 2 { continue }` (a bare newline), then TrimSpace + ToLower.
            switch line.trimmingWhitespace.lowercased() {
            case "y": return true
            case "n": return false
            default: continue
            }
        }
        return false
    }

    /// Reads lines from a file descriptor; a line is returned only with its newline, as Go's
    /// `ReadString('\n')` succeeds only then.
    struct LineReader {
        let fd: Int32
        private var buffer: [UInt8] = []

        init(fd: Int32) { self.fd = fd }

        mutating func readLine() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return nil }
                buffer += chunk[..<n]
            }
        }
    }
}
