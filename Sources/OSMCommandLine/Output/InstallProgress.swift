#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import MeshControl

/// Progress of the wait for the control plane, on stderr: redrawn in place on a terminal,
/// one plain line per change otherwise (CI logs).
final class InstallProgress: @unchecked Sendable {
    private let isTerminal = isatty(2) == 1
    private var drewLine = false
    /// The signal thread may end the line while the main thread draws it.
    private let lock = NSLockLite()

    func report(_ statuses: [Install.DeploymentStatus]) {
        lock.lock()
        defer { lock.unlock() }
        let parts = statuses.map { "\($0.name) \($0.ready)/\($0.desired)" }.joined(separator: ", ")
        let line = "Waiting for deployments to be available: \(parts)"
        if isTerminal {
            StandardError.write("\r\u{1B}[K" + line)
            drewLine = true
        } else {
            StandardError.write(line + "\n")
        }
    }

    /// Ends a line drawn in place, on every exit path (success, failure, signal).
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewLine { StandardError.write("\n") }
        drewLine = false
    }
}

/// A pthread mutex, without Foundation.
final class NSLockLite: @unchecked Sendable {
    private let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(m, nil) }
    deinit { pthread_mutex_destroy(m); m.deallocate() }
    func lock() { pthread_mutex_lock(m) }
    func unlock() { pthread_mutex_unlock(m) }
}
