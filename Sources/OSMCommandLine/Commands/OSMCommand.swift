import ArgumentParser

/// `osm`: the root of the command tree.
struct OSMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "osm",
        abstract: "Install and manage Open Service Mesh.",
        discussion: """
            osm installs an Open Service Mesh v0.8 control plane on a Kubernetes cluster and \
            manages it: which namespaces are in the mesh, its configuration, its removal. It talks \
            to the Kubernetes API server itself; it needs neither kubectl nor Helm.

            To install a control plane and add a namespace to it:

              $ osm install
              $ osm namespace add my-app

            Options of every command, also accepted before the subcommand (osm --osm-namespace \
            prod mesh list); commands that do not talk to a cluster ignore them:
            \(RootFlags.all.map(\.helpLine).joined(separator: "\n"))

            Bool flags take Go's syntax: --enable-egress, --enable-egress=true,
            --enable-egress=false.
            """,
        subcommands: [
            InstallCommand.self,
            MeshCommand.self,
            NamespaceCommand.self,
            ProxyCommand.self,
            DashboardCommand.self,
            VerifyCommand.self,
            MetricsCommand.self,
            PolicyCommand.self,
            VersionCommand.self,
            EnvCommand.self,
            CompletionCommand.self,
        ])
}
