import ArgumentParser
import KubeClient
import MeshControl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `osm dashboard`: forwards a local port to the mesh's Grafana until interrupted.
struct DashboardCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open grafana dashboard through ssh redirection.",
        discussion: """
            Forwards a local port (127.0.0.1) to a running Grafana pod of the mesh in the \
            --osm-namespace namespace, through the API server's port-forward, and opens a \
            browser on it. Every connection a browser opens gets a tunnel of its own. Runs until \
            interrupted (Ctrl-C, SIGINT or SIGTERM), then closes the port and exits 0.

            Examples:
              $ osm dashboard
              $ osm dashboard -p 8080 --open-browser=false
            """)

    /// dashboard.go's flags.
    enum Flags {
        static let localPort = GoFlag("local-port", "p", .uint16, default: String(Dashboard.grafanaWebPort), valueName: "port", "Local port to use")
        static let remotePort = GoFlag("remote-port", "r", .uint16, default: String(Dashboard.grafanaWebPort), valueName: "port", "Remote port on Grafana")
        static let openBrowser = GoFlag("open-browser", "b", .bool, default: "true", "Triggers browser open")
    }
    static let flags = [Flags.localPort, Flags.remotePort, Flags.openBrowser]
    /// dashboard.go declares no Args: stray words are ignored.
    static let positionalArgs: CobraArgs? = nil

    @OptionGroup var cluster: ClusterOptions
    @Option(Flags.localPort) var localPort: UInt16
    @Option(Flags.remotePort) var remotePort: UInt16
    @Option(Flags.openBrowser) var openBrowser: Bool

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        localPort = p.uint16(Flags.localPort)
        remotePort = p.uint16(Flags.remotePort)
        openBrowser = p.bool(Flags.openBrowser)
    }

    func run() throws {
        print("[+] Starting Dashboard forwarding")
        fflush(nil)
        // Signals are taken by sigwait below; every thread started from here on inherits the mask.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let dashboard = Dashboard(osmNamespace: try cluster.requestOSMNamespace(), localPort: Int(localPort), remotePort: Int(remotePort))
        let client = try cluster.makeClient()
        // Start-up (finding Grafana, the first tunnel) runs on a thread of its own so that a
        // signal meanwhile ends osm at once, as it ends upstream's (whose handler comes later).
        let starting = StartUp()
        DetachedThread.start {
            let result = Result { try dashboard.start(client: client) { line in StandardError.write("Warning: \(line)\n") } }
            starting.finish(result)
        }
        let forwarder: LocalPortForwarder
        var received: Int32 = 0
        var poll = timespec(tv_sec: 0, tv_nsec: 20_000_000)
        while true {
            if let result = starting.result {
                forwarder = try result.get()
                break
            }
            let sig = sigtimedwait(&signals, nil, &poll)
            if sig > 0 { Self.endBy(sig) }
        }
        if openBrowser {
            let url = "http://localhost:\(localPort)"
            print("[+] Issuing open browser \(url)")
            fflush(nil)
            Self.openBrowser(url)
        }
        while sigwait(&signals, &received) != 0 {}
        forwarder.stop()
    }

    /// Ends osm as the signal's default action does (upstream has no handler yet when it comes).
    private static func endBy(_ sig: Int32) -> Never {
        fflush(nil)
        signal(sig, SIG_DFL)
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, sig)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)
        raise(sig)
        #if canImport(Glibc)
        Glibc.exit(128 + sig)
        #else
        Darwin.exit(128 + sig)
        #endif
    }

    /// The outcome of the start-up thread, once it has one.
    private final class StartUp: @unchecked Sendable {
        private let lock = NSLockLite()
        private var outcome: Result<LocalPortForwarder, any Error>?

        func finish(_ r: Result<LocalPortForwarder, any Error>) {
            lock.lock()
            outcome = r
            lock.unlock()
        }

        var result: Result<LocalPortForwarder, any Error>? {
            lock.lock()
            defer { lock.unlock() }
            return outcome
        }
    }

    /// `xdg-open URL` (`open` on macOS), detached; like upstream, a failure to open is ignored.
    private static func openBrowser(_ url: String) {
        #if os(macOS)
        let tool = "open"
        #else
        let tool = "xdg-open"
        #endif
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        // The browser must not inherit the blocked signals.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid = pid_t()
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(tool), strdup(url), nil]
        defer { for p in argv { free(p) } }
        _ = posix_spawnp(&pid, tool, &actions, &attributes, argv, environ)
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
    }
}
