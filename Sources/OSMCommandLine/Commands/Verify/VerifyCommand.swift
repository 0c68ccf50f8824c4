import ArgumentParser

/// `osm verify`: upstream v1.x's checks of a mesh's configuration, for v0.8 meshes (osm-config).
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify mesh configurations.",
        discussion: """
            Checks what decides whether traffic flows, without sending any: the control plane's \
            objects and osm-config, and the Envoy configuration the controller pushed to the sidecars. \
            Exits 0 when every check passes, 1 otherwise.
            """,
        subcommands: [VerifyConnectivityCommand.self, VerifyControlPlaneCommand.self])
}
