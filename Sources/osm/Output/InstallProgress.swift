#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OSM

/// Progress of the wait for the control plane, on stderr: redrawn in place on a terminal,
/// one plain line per change otherwise (CI logs).
final class InstallProgress {
    private let isTerminal = isatty(2) == 1
    private var drewLine = false

    func report(_ statuses: [Install.DeploymentStatus]) {
        let parts = statuses.map { "\($0.name) \($0.ready)/\($0.desired)" }.joined(separator: ", ")
        let line = "Waiting for deployments to be available: \(parts)"
        if isTerminal {
            StandardError.write("\r\u{1B}[K" + line)
            drewLine = true
        } else {
            StandardError.write(line + "\n")
        }
    }

    func finish() {
        if drewLine { StandardError.write("\n") }
        drewLine = false
    }
}
