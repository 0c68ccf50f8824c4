extension StringProtocol {
    /// The text without leading and trailing white space (Go's `strings.TrimSpace`), shared by
    /// every module that reads header values, selectors, files or answers typed at a prompt.
    /// `Character.isWhitespace` also covers "\r\n", which is one Character.
    public var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
