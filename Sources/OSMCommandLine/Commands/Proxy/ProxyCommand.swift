import ArgumentParser

/// `osm proxy`: operations on the Envoy sidecars of meshed pods.
struct ProxyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Sidecar proxy operations.",
        discussion: "Subcommands that operate on the Envoy sidecar proxy of a pod in the mesh.",
        subcommands: [ProxyGetCommand.self])
}
