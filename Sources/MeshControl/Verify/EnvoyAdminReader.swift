import KubeClient
import ObjectModel

/// Reads paths of pods' Envoy admin interfaces (port 15000) through port-forward tunnels, the
/// way `osm proxy get` does, into memory for `osm verify`: all of them at once on one thread
/// (`KubeClient.portForwardGet`), at most `maxInFlight` tunnels open together.
package enum EnvoyAdminReader {
    /// A config_dump of a large mesh is a few MiB; anything past this is not one.
    static let limit = 256 << 20

    package static func make(client: any KubeAPI, maxInFlight: Int = 8) -> EgressConnectivityVerifier.AdminReader {
        { reads in
            let port = EnvoyEgressConfig.adminPort
            let gets = reads.map {
                PortForwardGet(namespace: $0.namespace, pod: $0.pod, port: port, target: "/" + $0.path,
                               host: "localhost:\(port)", limit: limit)
            }
            return zip(reads, client.portForwardGet(gets, maxInFlight: maxInFlight)).map { read, result in
                Result { () throws -> [UInt8] in
                    let answer: PortForwardAnswer
                    switch result {
                    case .success(let a): answer = a
                    case .failure(.portForward(let error)):
                        throw OSMError("port-forward to \(read.namespace)/\(read.pod):\(port): \(error.message)", cause: error)
                    case .failure(.http(let e)):
                        throw OSMError("reading Envoy's /\(read.path) through the tunnel: \(e.message)")
                    case .failure(.tooLarge(let limit)):
                        throw OSMError("Envoy's /\(read.path) is larger than \(limit >> 20) MiB")
                    case .failure(.commandTooLarge(let limit)):
                        throw OSMError("the answers read by this command (sidecars and API server together) are larger than \(limit >> 20) MiB in all, at Envoy's /\(read.path)")
                    }
                    guard answer.status == 200 else {
                        throw OSMError("Envoy's admin interface answered /\(read.path) with \(GoFormat.quoted(answer.statusLine))")
                    }
                    return answer.body
                }
            }
        }
    }
}
