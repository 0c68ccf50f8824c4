import ObjectModel

extension APIServer {
    /// `POST .../serviceaccounts/<name>/token`: an authentication.k8s.io/v1 TokenRequest in (JSON or, as
    /// client-go's typed clients and `kubectl create token` send it, protobuf), the same with
    /// `status.token` and `status.expirationTimestamp` out, 201.
    func tokenRequest(_ req: APIRequest, _ t: ResourceType, ns: String?, name: String) throws(StatusError) -> APIReply {
        guard req.method == "POST" else { throw StatusError.methodNotAllowed(req.method) }
        let tokenType = ResourceType.tokenRequest
        let body = try decodeBody(req, tokenType)
        if let kind = body["kind"]?.stringValue, !kind.isEmpty, kind != "TokenRequest" {
            throw StatusError.badRequest("the kind in the body (\(kind)) does not match the expected kind (TokenRequest)")
        }
        let out = try cluster.createToken(namespace: ns ?? "", name: name, request: body, dryRun: req.query["dryRun"] == "All")
        return .json(201, out.jsonBytes())
    }
}

extension Cluster {
    func createToken(namespace: String, name: String, request: JSONValue, dryRun: Bool) throws(StatusError) -> JSONValue {
        lock.lock()
        defer { lock.unlock() }
        return try createTokenLocked(namespace: namespace, name: name, request: request)
    }
}

extension ResourceType {
    /// The body of `serviceaccounts/token` (no storage of its own).
    static let tokenRequest = ResourceType(group: "authentication.k8s.io", version: "v1", name: "tokenrequests", singular: "tokenrequest",
                                           kind: "TokenRequest", namespaced: true, shortNames: [], hasStatus: false,
                                           nameRule: .dns1123Subdomain)
}
