#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exec credential plugins running now, so that a signal to osm or osm's exit ends them
/// too: a plugin that does not talk to the terminal runs in a process group of its own (so a
/// timeout can kill its children), where the terminal's Ctrl-C does not reach it, and one left
/// running keeps osm's stderr open (`osm ... 2>&1 | cat` would never return).
///
/// The table is fixed-size plain memory that a signal handler reads without locks or allocation.
enum RunningPlugins {
    static let capacity = 16
    /// `kill` targets: a pid, or a negated process group id; 0 is a free slot.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<pid_t> = {
        let p = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    private static let lock = Lock()
    nonisolated(unsafe) private static var exitHookInstalled = false

    /// Records a started plugin; returns its slot (nil when the table is full: it is then ended
    /// only by its own timeout).
    static func add(_ target: pid_t) -> Int? {
        lock.withLock {
            if !exitHookInstalled {
                exitHookInstalled = true
                // osm exiting for any reason (an error path, a second Ctrl-C) ends them.
                atexit { RunningPlugins.signalAll(SIGTERM) }
            }
            for i in 0..<capacity where slots[i] == 0 {
                slots[i] = target
                return i
            }
            return nil
        }
    }

    static func remove(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock { slots[slot] = 0 }
    }

    /// Sends `sig` to every running plugin (and its group). Async-signal-safe.
    static func signalAll(_ sig: Int32) {
        for i in 0..<capacity {
            let target = slots[i]
            if target != 0 { kill(target, sig) }
        }
    }

    /// While a plugin runs in a process whose SIGINT/SIGTERM/SIGHUP take their default action
    /// (no `Interruption` watching), a handler ends the plugins first, then lets the signal take
    /// that action: osm still exits as a shell expects (130, 143, 129).
    static func withSignalsEndingPlugins<T>(_ body: () -> T) -> T {
        _ = slots  // initialized before a handler can read it
        var previous: [(Int32, sigaction)] = []
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var old = sigaction()
            sigaction(sig, nil, &old)
            // Leave an ignored signal ignored, and a handler someone else installed alone.
            guard old.__sigaction_handler.sa_handler == nil else { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                RunningPlugins.signalAll(SIGTERM)
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
            previous.append((sig, old))
        }
        defer { for (sig, old) in previous { var o = old; sigaction(sig, &o, nil) } }
        return body()
    }
}
