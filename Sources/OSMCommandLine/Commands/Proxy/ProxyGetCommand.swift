import ArgumentParser
import KubeClient
import MeshControl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `osm proxy get QUERY POD`: Envoy's admin answer for a query, on stdout or into a file.
struct ProxyGetCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Get query for proxy.",
        discussion: """
            Gets the Envoy proxy configuration for the given query and pod. The query is \
            forwarded as is to the Envoy sidecar's admin interface (port 15000) through the API \
            server's port-forward; see https://www.envoyproxy.io/docs/envoy/latest/operations/admin \
            for the supported GET queries (config_dump, listeners, clusters, stats, ...).

            Examples:
              $ osm proxy get config_dump bookbuyer-5ccf77f46d-rc5mg -n bookbuyer
              $ osm proxy get clusters bookbuyer-5ccf7-rc5mg -n bookbuyer -f clusters.txt
              $ osm proxy get 'config_dump?resource=dynamic_listeners' curl-x2x4k -n curl
            """)

    /// proxy_get.go's flags.
    enum Flags {
        static let namespace = GoFlag("namespace", "n", .string, default: "default", valueName: "namespace", "Namespace of pod")
        static let file = GoFlag("file", "f", .string, valueName: "file", describedDefault: "stdout", "File to write output to")
        static let localPort = GoFlag("local-port", "p", .uint16, default: String(MeshConstants.envoyAdminPort), valueName: "port",
                                      "Local port to use for port forwarding (accepted for compatibility: no local port is bound)")
    }
    static let flags = [Flags.namespace, Flags.file, Flags.localPort]
    /// proxy_get.go: cobra.ExactArgs(2).
    static let positionalArgs: CobraArgs? = .exact(2)

    @OptionGroup var cluster: ClusterOptions
    @Argument(help: ArgumentHelp("Envoy admin query, e.g. config_dump, listeners, clusters, stats", valueName: "query"))
    var query: String
    @Argument(help: ArgumentHelp("Name of the pod", valueName: "pod"))
    var pod: String
    @Option(Flags.namespace) var namespace: String
    @Option(Flags.file, completion: .file()) var file: String?
    @Option(Flags.localPort) var localPort: UInt16

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        query = p.arguments[0]
        pod = p.arguments[1]
        namespace = p.string(Flags.namespace)
        // proxy_get.go: `if getCmd.outFile != ""`: an empty name is stdout.
        file = p.string(Flags.file).isEmpty ? nil : p.string(Flags.file)
        localPort = p.uint16(Flags.localPort)
    }

    func run() throws {
        let action = ProxyGet(query: query, pod: pod, namespace: namespace, localPort: Int(localPort))
        let client = try cluster.makeClient()
        var out: Int32 = 1
        var statusLine = ""
        defer { if out > 2 { close(out) } }
        let status = try action.run(
            client: client,
            head: { _, line in
                statusLine = line
                if let file {
                    // As upstream: the file is created once Envoy has answered.
                    let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
                    guard fd >= 0 else { throw CLIError("Error opening file \(file): open \(file): \(Self.errnoText())") }
                    out = fd
                }
            },
            body: { bytes in
                guard Self.writeAll(out, bytes) else {
                    throw CLIError("Error rendering HTTP response: write \(file ?? "/dev/stdout"): \(Self.errnoText())")
                }
            })
        if !(200..<300).contains(status) {
            let text = statusLine.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "\(status)"
            StandardError.write("Warning: Envoy answered \(ServerText.printable(text)) for \(action.target)\n")
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { b in
            var off = 0
            while off < b.count {
                let n = write(fd, b.baseAddress! + off, b.count - off)
                if n < 0 { if errno == EINTR { continue }; return false }
                off += n
            }
            return true
        }
    }

    private static func errnoText() -> String {
        let text = String(cString: strerror(errno))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
