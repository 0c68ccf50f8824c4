import ArgumentParser
import KubeClient
import OSM

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
        let forwarder = try dashboard.start(client: try cluster.makeClient()) { line in
            StandardError.write("Warning: \(line)\n")
        }
        if openBrowser {
            let url = "http://localhost:\(localPort)"
            print("[+] Issuing open browser \(url)")
            fflush(nil)
            Self.openBrowser(url)
        }
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        forwarder.stop()
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
