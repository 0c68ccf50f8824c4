#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import ObjectModel

/// The retry policy: which failures and statuses are tried again (429 with Retry-After, a 503
/// to a read, a lost connection before anything was sent), how long to wait, and within what deadline.
extension Transport {
    /// `firstOutcome`: the first attempt, already made in a batch. `retryFailures`: false once the
    /// server is known unreachable (a failed transfer is then final; answers still follow their rules).
    func send(_ request: HTTPRequest, firstOutcome: Outcome?, start: Double, epoch: Int,
                      retryFailures: Bool) throws(KubeError) -> (HTTPResponse, attempts: Int) {
        var firstOutcome = firstOutcome
        let deadline = options.requestTimeout.flatMap { $0 > 0 ? start + $0 : nil }
        let maxAttempts = max(1, options.maxAttempts)
        var attempt = 0
        var refreshedExec = false
        var waited = 0.0
        while true {
            attempt += 1
            let outcome: Outcome
            if let first = firstOutcome {
                // The batch's first attempt, already made: it counts as this attempt, whatever came after it.
                outcome = first
                firstOutcome = nil
            } else {
                if let i = options.interruption, i.interrupted(since: epoch) { throw interruptedError(request, sent: attempt > 1) }
                let auth = try self.auth()
                var timeout: Double? = nil
                if let deadline {
                    timeout = deadline - Clock.monotonic()
                    if timeout! <= 0 { throw timeoutError(request, connected: true) }
                }
                outcome = perform(request, auth: auth, timeout: timeout, epoch: epoch)
            }
            var wait: Double? = nil
            switch outcome {
            case .tooLarge where budget.exhausted:
                throw KubeError(.protocolError, "the API server's answers to this command are larger than \(budget.limitText) in all (at \(request.method) \(url(for: request.path))), far more than any real cluster sends; check that the server address in \(config.source) points at a Kubernetes API server")
            case .tooLarge:
                throw KubeError(.protocolError, "unexpected answer from the API server to \(request.method) \(url(for: request.path)): the body is larger than \(options.maxResponseBytes >> 20) MiB, far more than any real answer; check that the server address in \(config.source) points at a Kubernetes API server")
            case .response(let r):
                let status = r.status
                var asked: Double? = nil
                if status == 401, case .exec(let e) = config.credential, !refreshedExec {
                    // The plugin's credential may have been revoked early: run it once more.
                    refreshedExec = true
                    ExecPlugin.shared.invalidate(e)
                    wait = 0
                } else if status == 429 || (request.idempotent && (status == 502 || status == 503 || status == 504)) {
                    // 429 means the request was not processed, whatever its verb.
                    asked = Self.retryAfter(r.header("Retry-After"))
                    wait = asked ?? backoff(attempt)
                }
                guard let w = wait, attempt < maxAttempts, fits(w, deadline, waited: waited) else { return (r, attempt) }
                if let asked, asked >= 2 {
                    notice("Notice: the API server answered \(KubeError.describe(request)) with \(Self.statusText(r)) and asked to retry in \(Self.formatSeconds(asked)); waiting (attempt \(attempt + 1) of \(maxAttempts), Ctrl-C to stop)")
                }
                logger.log(6, "Retrying \(request.method) \(url(for: request.path)) after \(Self.statusText(r)) in \(Self.formatSeconds(w)) (attempt \(attempt + 1) of \(maxAttempts))")
                try sleep(w, request, epoch: epoch)
                waited += w
            case .failure(let code, let message, let connected, let osErrno):
                if code == CURLE_ABORTED_BY_CALLBACK { throw interruptedError(request, sent: connected) }
                let notSent = code == CURLE_COULDNT_CONNECT
                let resetAfterSend = [CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_PARTIAL_FILE].contains(code)
                let retryable = notSent || (request.idempotent && resetAfterSend)
                let w = backoff(attempt)
                let limit = notSent ? min(maxAttempts, 3) : maxAttempts
                guard retryable, retryFailures, attempt < limit, fits(w, deadline, waited: waited) else {
                    throw transportError(request, code: code, message: message, connected: connected, osErrno: osErrno)
                }
                logger.log(6, "Retrying \(request.method) \(url(for: request.path)) after \(message) in \(Self.formatSeconds(w)) (attempt \(attempt + 1) of \(limit))")
                try sleep(w, request, epoch: epoch)
                waited += w
            }
        }
    }

    /// Sleeps between attempts, cut short by a signal.
    func sleep(_ seconds: Double, _ request: HTTPRequest, epoch: Int) throws(KubeError) {
        let end = Clock.monotonic() + seconds
        while true {
            if let i = options.interruption, i.interrupted(since: epoch) { throw interruptedError(request, sent: true) }
            let left = end - Clock.monotonic()
            if left <= 0 { return }
            Clock.sleep(seconds: min(left, 0.05))
        }
    }

    func notice(_ line: String) {
        if let sink = options.noticeSink { sink(line); return }
        StandardError.write(line + "\n")
    }

    func interruptedError(_ request: HTTPRequest, sent: Bool) -> KubeError {
        KubeError(.interrupted, code: sent ? 1 : 0, "interrupted during \(KubeError.describe(request))")
    }

    /// Whether waiting `wait` more stays within the request's deadline, or else within `maxRetryWait` in all.
    func fits(_ wait: Double, _ deadline: Double?, waited: Double) -> Bool {
        guard let deadline else { return waited + wait <= options.maxRetryWait }
        return Clock.monotonic() + wait < deadline
    }

    /// Exponential from 100 ms, capped at 5 s, with ±50% jitter so that many clients spread out.
    func backoff(_ attempt: Int) -> Double {
        let base = min(0.1 * Double(1 << min(attempt - 1, 10)), 5)
        return base * Double.random(in: 0.5...1.5)
    }

    /// `Retry-After` in seconds (the only form the API server sends), capped at 30 s.
    static func retryAfter(_ header: String?) -> Double? {
        guard let h = header?.trimmingWhitespace, let s = Int(h), s >= 0 else { return nil }
        return Double(min(s, 30))
    }

    static func formatSeconds(_ s: Double) -> String {
        s < 1 ? "\(Int(s * 1000))ms" : GoDuration(seconds: (s * 1000).rounded() / 1000).description
    }
}
