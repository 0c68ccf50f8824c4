/// The bytes of answers one command may take in, across all its requests and tunnels: each
/// answer kept in memory is counted as it arrives, and the command ends once the total passes
/// the limit, so many large answers (a batch, several sidecars) cannot add up without bound.
/// Answers streamed out as they arrive (`proxy get`'s body) are not counted.
package final class ResponseBudget: @unchecked Sendable {
    package let limit: Int
    private let lock = Lock()
    private var used = 0
    private var overrun = false

    package init(limit: Int) { self.limit = limit }

    /// Counts `n` more bytes; false (from then on) once the total passes the limit.
    package func take(_ n: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if overrun { return false }
        used += n
        if used > limit { overrun = true }
        return !overrun
    }

    /// What may still be taken before the limit.
    package var remaining: Int {
        lock.lock()
        defer { lock.unlock() }
        return overrun ? 0 : limit - used
    }

    /// Whether the total has passed the limit.
    package var exhausted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return overrun
    }

    /// The limit in MiB, for messages.
    package var limitText: String { "\(limit >> 20) MiB" }
}
