#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM turned into a count that long operations check, instead of the default
/// action that kills the process mid-write. Requests a client sends while `count` is still what
/// it was when they started are aborted (within about a second) once a signal arrives, so the
/// caller gets control back and can undo or report what it did.
package final class Interruption: @unchecked Sendable {
    package static let shared = Interruption()

    private let lock = Lock()
    private var received: [Int32] = []
    private var watching = false
    private var thread = pthread_t()
    private var handlers: [@Sendable (Int32, Int) -> Void] = []

    package init() {}

    /// Whether `watch()` has turned SIGINT and SIGTERM into this count.
    package var isWatching: Bool { lock.withLock { watching } }

    /// Signals received so far.
    package var count: Int { lock.withLock { received.count } }
    /// The first signal, which decides the exit code (130 for SIGINT, 143 for SIGTERM).
    package var firstSignal: Int32? { lock.withLock { received.first } }

    /// 128 + the first signal's number, as a shell reports a process killed by it.
    package var exitCode: Int32? { firstSignal.map { 128 + $0 } }

    /// Whether a signal has arrived since `count` was `since`.
    package func interrupted(since: Int) -> Bool { count > since }

    /// Runs `handler(signal, count)` on the watcher thread for every signal from now on.
    package func onSignal(_ handler: @escaping @Sendable (Int32, Int) -> Void) {
        lock.withLock { handlers.append(handler) }
    }

    /// Blocks SIGINT and SIGTERM in the calling thread (and in every thread it starts later)
    /// and receives them on a thread of its own. Call from the main thread before any other
    /// thread starts. Child processes must unblock them (see `ExecPlugin.spawn`).
    package func watch() {
        let start: Bool = lock.withLock {
            if watching { return false }
            watching = true
            return true
        }
        guard start else { return }
        var set = Self.signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            let me = Unmanaged<Interruption>.fromOpaque(arg!).takeRetainedValue()
            me.loop()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<Interruption>.fromOpaque(box).release()
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
        }
    }

    static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }

    private func loop() {
        var set = Self.signalSet()
        while true {
            var sig: Int32 = 0
            guard sigwait(&set, &sig) == 0 else { continue }
            let (n, hs): (Int, [@Sendable (Int32, Int) -> Void]) = lock.withLock {
                received.append(sig)
                return (received.count, handlers)
            }
            // A credential plugin in a process group of its own never sees the terminal's Ctrl-C
            // (counted first, so that the plugin's runner knows why it ended).
            RunningPlugins.signalAll(SIGTERM)
            for h in hs { h(sig, n) }
        }
    }

    /// For tests: as if a signal had arrived.
    package func simulate(_ sig: Int32) {
        let (n, hs): (Int, [@Sendable (Int32, Int) -> Void]) = lock.withLock {
            received.append(sig)
            return (received.count, handlers)
        }
        for h in hs { h(sig, n) }
    }
}
