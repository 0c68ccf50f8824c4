import ArgumentParser
import KubeClient
import MeshControl
import ObjectModel

/// The options every command that talks to a cluster takes: which control plane, and kubectl's
/// own connection flags (the root's persistent flags, `RootFlags`).
struct ClusterOptions: ParsableArguments {
    @OptionGroup var namespace: NamespaceOption

    @Option(RootFlags.kubeconfig, completion: .file()) var kubeconfig: String?
    @Option(RootFlags.context) var context: String?
    @Option(RootFlags.requestTimeout) var requestTimeout: GoDuration?
    @Option(RootFlags.verbosity) var verbosity: Int

    init() {}

    init(parsed: ParsedCommand) throws {
        namespace = NamespaceOption(parsed: parsed)
        kubeconfig = parsed.ifGiven(RootFlags.kubeconfig, parsed.string)
        context = parsed.ifGiven(RootFlags.context, parsed.string)
        requestTimeout = try parsed.ifGiven(RootFlags.requestTimeout, parsed.string).map { text in
            do {
                return try GoDurationValue.parseRequestTimeout(text)
            } catch {
                throw CLIError(.invalidInput, "invalid argument \(GoFormat.quoted(text)) for \"--request-timeout\" flag: \(error)")
            }
        }
        verbosity = parsed.int(RootFlags.verbosity)
    }

    /// The control-plane namespace (`--osm-namespace`, `$OSM_NAMESPACE`, `osm-system`).
    var osmNamespace: String { namespace.osmNamespace(kubeconfig: kubeconfig, context: context) }

    /// `osmNamespace` for a command that sends it in requests: refused before any request when
    /// it cannot name a namespace.
    func requestOSMNamespace() throws -> String {
        let ns = osmNamespace
        if let problem = KubernetesNames.namespaceProblem(ns) { throw CLIError(.invalidInput, problem) }
        return ns
    }

    func validate() throws {
        guard verbosity >= 0 else {
            throw ValidationError("-v takes a level of 0 or more, not \(verbosity)")
        }
    }
}
