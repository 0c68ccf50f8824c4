import ArgumentParser
import MeshControl
import ObjectModel

/// `osm verify control-plane`: the control plane's objects and their health, one check each.
struct VerifyControlPlaneCommand: PflagCommand {
    static let configuration = CommandConfiguration(
        commandName: "control-plane",
        abstract: "Verify the health of the OSM control plane.",
        discussion: """
            Checks that the control plane namespace exists and is not Terminating; that the \
            osm-controller and osm-injector Deployments are available and their pods Running and \
            ready, not waiting or restarting in a loop; that osm-config holds every key with a valid \
            value; that the mutating and validating webhooks have a caBundle and point at existing \
            Services; and that the SMI CRDs exist. Exits 0 when all pass, 1 otherwise.

              $ osm verify control-plane --osm-namespace osm-system
            """,
        aliases: ["control-plane-health"])

    static let meshNameFlag = GoFlag("mesh-name", .string, valueName: "name", describedDefault: "the meshName label of the namespace's osm-controller", "Name of the mesh")
    static let flags = [meshNameFlag]
    static let positionalArgs: CobraArgs? = CobraArgs.none

    @Option(meshNameFlag) var meshName: String?
    @OptionGroup var cluster: ClusterOptions

    init() {}

    init(parsed p: ParsedCommand) throws {
        cluster = try ClusterOptions(parsed: p)
        meshName = p.ifGiven(Self.meshNameFlag, p.string)
    }

    func run() throws {
        if let meshName { try MeshName.check(meshName) }
        let osmNamespace = try cluster.requestOSMNamespace()
        let client = try cluster.makeClient(defaultRequestTimeout: VerifyConnectivityCommand.defaultRequestTimeout)
        let result = ControlPlaneVerifier(osmNamespace: osmNamespace, meshName: meshName).run(client: client)
        VerificationPrinter.print([result])
        if result.status != .success { throw ExitCode(1) }
    }
}
