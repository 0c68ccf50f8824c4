import KubeClient

/// kubectl's `--request-timeout`: a plain number is seconds, else a Go duration; `0` means none.
enum GoDurationValue {
    static func parseRequestTimeout(_ text: String) throws -> GoDuration {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int64(text) {
            guard seconds <= Int64.max / 1_000_000_000 else { throw CLIError(.invalidInput, "time: invalid duration \"\(text)\"") }
            return GoDuration(nanoseconds: seconds * 1_000_000_000)
        }
        let value = try GoDuration(parsing: text)
        guard value.nanoseconds >= 0 else {
            throw CLIError(.invalidInput, "a timeout cannot be negative")
        }
        return value
    }
}
