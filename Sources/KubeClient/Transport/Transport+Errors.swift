#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import ObjectModel

/// What a failed exchange means, for the person who ran the command.
extension Transport {
    // MARK: Errors

    func timeoutError(_ request: HTTPRequest, connected: Bool) -> KubeError {
        let url = url(for: request.path)
        if !connected {
            let limit = GoDuration(seconds: options.connectTimeout).description
            let cap = options.requestTimeout.map { " (or --request-timeout=\(GoDuration(seconds: $0)))" } ?? ""
            return KubeError(.timeout, "timed out after \(limit)\(cap) connecting to the API server at \(config.server) for \(request.method) \(url); check the server address, network and proxy")
        }
        let limit = options.requestTimeout.map { GoDuration(seconds: $0).description } ?? "?"
        if request.method != "GET" && request.method != "HEAD" {
            return KubeError(.timeout, "\(request.method) \(url) got no answer within \(limit) (--request-timeout=\(limit)): the API server may have applied the change anyway; check with '\(Self.checkCommand(request))' before trying again")
        }
        return KubeError(.timeout, "\(request.method) \(url) timed out after \(limit) (--request-timeout=\(limit)); raise --request-timeout or check the API server's health")
    }

    /// The kubectl command that shows whether a write landed.
    static func checkCommand(_ r: HTTPRequest) -> String {
        let resource = r.resource
        var cmd = "kubectl get \(resource.isEmpty ? r.path : resource)"
        if let n = r.name { cmd += " \(n)" }
        if let ns = r.namespace { cmd += " -n \(ns)" }
        if r.name != nil { cmd += " -o yaml" }
        return cmd
    }

    func transportError(_ request: HTTPRequest, code: CURLcode, message: String, connected: Bool, osErrno: Int) -> KubeError {
        let url = url(for: request.path)
        let server = config.server
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return timeoutError(request, connected: connected)
        case CURLE_COULDNT_RESOLVE_HOST:
            return KubeError(.connection, "cannot resolve the host of the API server at \(server) (\(message)); check the server address in \(config.source) and your DNS")
        case CURLE_COULDNT_RESOLVE_PROXY:
            return KubeError(.connection, "cannot resolve the proxy \(proxy) for the API server at \(server) (\(message)); check proxy-url or HTTPS_PROXY")
        case CURLE_COULDNT_CONNECT:
            let refused = osErrno == Int(ECONNREFUSED) || message.lowercased().contains("refused")
            return KubeError(.connection, "cannot connect to the API server at \(server)\(refused ? ": connection refused" : " (\(message))"); check that the cluster is running and that the server address in \(config.source) is right")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return KubeError(.tls, "TLS verification of the API server at \(server) failed (\(message)); check certificate-authority(-data) and tls-server-name of cluster \"\(config.clusterName)\" in \(config.source)")
        case CURLE_SSL_CERTPROBLEM, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED:
            return KubeError(.credentials, "the client certificate or key of user \"\(config.userName)\" cannot be used (\(message)); check client-certificate(-data) and client-key(-data) in \(config.source)")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_SHUTDOWN_FAILED:
            return KubeError(.tls, "TLS handshake with the API server at \(server) failed (\(message)); check the server address, certificate-authority and client certificate in \(config.source)")
        case CURLE_SEND_FAIL_REWIND:
            return KubeError(.connection, "the connection to the API server at \(server) broke after \(KubeError.describe(request)) was sent, so it was not retried; check whether the change was made, then try again")
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_PARTIAL_FILE:
            return KubeError(.connection, "the connection to the API server at \(server) broke during \(request.method) \(url) (\(message)); try again\(request.idempotent ? "" : ", after checking whether the change was made")")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return KubeError(.kubeconfig, "the API server URL \(url) cannot be used (\(message)); check the server address in \(config.source)")
        default:
            return KubeError(.other, "\(request.method) \(url) failed: \(message)")
        }
    }
}
