import ArgumentParser
import YAML
import OSM
import KubeClient

/// `osm mesh list`: the control planes in the cluster.
struct MeshListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the OSM control planes in the cluster.",
        discussion: "Prints each control plane's mesh name, namespace and controller pods.")

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var format: OutputOptions

    func run() throws {
        let entries = try MeshList().run(client: try cluster.makeClient())
        switch format.output {
        case .text:
            if entries.isEmpty {
                print("No control planes found")
                return
            }
            var table = Table(header: ["MESH NAME", "NAMESPACE", "CONTROLLER PODS", "VERSION"])
            for e in entries { table.append([e.meshName, e.namespace, e.controllerPods.joined(separator: ","), e.version]) }
            OutputPrinter.print(table)
        case .json, .yaml:
            let value = JSONValue.array(entries.map {
                ["meshName": .string($0.meshName), "namespace": .string($0.namespace),
                 "controllerPods": JSONValue($0.controllerPods), "version": .string($0.version)]
            })
            OutputPrinter.print(value, as: format.output)
        }
    }
}
