/// A failure talking to a cluster, as one line that says what happened and what to do.
/// Server failures keep the `Status` reason and code.
public struct KubeError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        // From the server's Status.
        case notFound, alreadyExists, conflict, invalid, forbidden, unauthorized, tooManyRequests,
             badRequest, methodNotAllowed, unsupportedMediaType, serverError, serviceUnavailable
        // Before or around the request.
        case kubeconfig, credentials, connection, tls, timeout, protocolError, interrupted, other
    }

    public let kind: Kind
    public let code: Int?
    public let reason: String?
    public let message: String
    /// How many times the request was sent before this answer (the transport sends an
    /// idempotent one again after a lost connection or a 503): more than 1, a refusal such as a
    /// 409 may answer a change the first attempt already made.
    public var attempts = 1

    public init(_ kind: Kind, code: Int? = nil, reason: String? = nil, _ message: String) {
        self.kind = kind
        self.code = code
        self.reason = reason
        // One line whatever it quotes (a kubeconfig's server address, a name, a server's words).
        self.message = ServerText.printable(message)
    }

    public var description: String { message }
}
