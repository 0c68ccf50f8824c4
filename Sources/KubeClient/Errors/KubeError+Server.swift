import ObjectModel

extension KubeError.Kind {
    /// The kind for a `Status` reason, or for the HTTP code when the reason is missing.
    static func from(reason: String?, code: Int) -> KubeError.Kind {
        switch reason ?? "" {
        case "NotFound": return .notFound
        case "AlreadyExists": return .alreadyExists
        case "Conflict": return .conflict
        case "Invalid": return .invalid
        case "Forbidden": return .forbidden
        case "Unauthorized": return .unauthorized
        case "TooManyRequests": return .tooManyRequests
        case "BadRequest": return .badRequest
        case "MethodNotAllowed": return .methodNotAllowed
        case "UnsupportedMediaType": return .unsupportedMediaType
        case "ServiceUnavailable": return .serviceUnavailable
        case "Timeout", "ServerTimeout": return .timeout
        case "InternalError": return .serverError
        default: break
        }
        switch code {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 409: return .conflict
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 503: return .serviceUnavailable
        case 504: return .timeout
        case 500...599: return .serverError
        default: return .other
        }
    }
}

extension KubeError {
    /// A one-line error for a failed response, from its `Status` body where there is one.
    static func fromResponse(_ response: HTTPResponse, request: HTTPRequest, config: ClientConfig, url: String, attempts: Int,
                             scrub: (String) -> String = { $0 }) -> KubeError {
        let code = response.status
        var reason: String? = nil
        var serverMessage = ""
        var isStatus = false
        if let json = try? JSONValue(parsing: response.body), json["kind"]?.stringValue == "Status" {
            isStatus = true
            reason = json["reason"]?.stringValue
            serverMessage = json["message"]?.stringValue ?? ""
        } else {
            let text = String(decoding: response.body.prefix(200), as: UTF8.self)
            serverMessage = ExecPlugin.oneLine(text)
        }
        // What the server says is shown as one line, credentials it echoed masked, control characters escaped.
        serverMessage = ServerText.printable(ServerText.maskCredentials(scrub(serverMessage)))
        if let r = reason { reason = ServerText.printable(r) }
        if reason?.isEmpty == true { reason = nil }
        let kind = Kind.from(reason: reason, code: code)
        let what = describe(request)
        let message: String
        switch kind {
        case .notFound, .alreadyExists, .conflict, .invalid:
            if isStatus && !serverMessage.isEmpty {
                message = serverMessage
            } else if kind == .notFound {
                message = "the server could not find the requested resource (\(what))"
            } else {
                message = serverMessage.isEmpty ? "the server rejected \(what) with \(code) (\(reason ?? "no reason"))" : serverMessage
            }
        case .unauthorized:
            let user = config.userName.isEmpty ? "(no user)" : "\"\(config.userName)\""
            message = "Unauthorized: the API server at \(config.server) rejected the credentials of user \(user) of context \"\(config.contextName)\" (\(config.source)); log in again or fix that user's credentials"
        case .forbidden:
            if !serverMessage.isEmpty {
                message = serverMessage
            } else {
                let ns = request.namespace.map { " in namespace \"\($0)\"" } ?? ""
                message = "forbidden: user \"\(config.userName)\" cannot \(request.verb) \(request.resource)\(ns); ask a cluster admin for RBAC permission"
            }
        case .tooManyRequests:
            message = "the API server is overloaded (429 Too Many Requests) and turned away \(what) \(attempts) times\(serverMessage.isEmpty ? "" : ": \(serverMessage)"); try again later"
        default:
            let status = Transport.statusText(response)
            let tail = serverMessage.isEmpty ? "" : ": \(serverMessage)"
            let retry = attempts > 1 ? " after \(attempts) attempts" : ""
            message = "the API server at \(config.server) answered \(what) with \(status)\(retry)\(tail)"
        }
        var error = KubeError(kind, code: code, reason: reason, message)
        error.attempts = attempts
        return error
    }

    /// `get namespaces foo`, `list pods in namespace "x"`: the request as kubectl would name it.
    static func describe(_ r: HTTPRequest) -> String {
        var s = r.verb
        if !r.resource.isEmpty { s += " \(r.resource)" }
        if let n = r.name { s += " \(n)" }
        if let ns = r.namespace { s += " in namespace \(ns)" }
        if r.resource.isEmpty { s += " \(r.path)" }
        return s
    }
}
