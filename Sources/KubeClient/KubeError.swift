/// A failure talking to a cluster, as one line that says what happened and what to do.
/// Server failures keep the `Status` reason and code.
package struct KubeError: Error, CustomStringConvertible, Sendable {
    package enum Kind: String, Sendable {
        // From the server's Status.
        case notFound, alreadyExists, conflict, invalid, forbidden, unauthorized, tooManyRequests,
             badRequest, methodNotAllowed, unsupportedMediaType, serverError, serviceUnavailable
        // Before or around the request.
        case kubeconfig, credentials, connection, tls, timeout, protocolError, interrupted, other
    }

    package let kind: Kind
    package let code: Int?
    package let reason: String?
    package let message: String
    /// How many times the request was sent before this answer (the transport sends an
    /// idempotent one again after a lost connection or a 503): more than 1, a refusal such as a
    /// 409 may answer a change the first attempt already made.
    package var attempts = 1

    package init(_ kind: Kind, code: Int? = nil, reason: String? = nil, _ message: String) {
        self.kind = kind
        self.code = code
        self.reason = reason
        // One line whatever it quotes (a kubeconfig's server address, a name, a server's words).
        self.message = ServerText.printable(message)
    }

    package var description: String { message }
}
