import TestSupport

extension ProcessResult {
    /// stderr without kubectl's version-skew warning, which a 1.20 server always triggers.
    var errors: String {
        stderr.split(separator: "\n").filter { !$0.hasPrefix("WARNING: version difference") }.joined(separator: "\n")
    }
}
