/// How requests prove who they are, beyond any client certificate.
enum Credential: Sendable, Equatable {
    case none
    case bearer(String)
    case basic(username: String, password: String)
    case exec(ExecConfig)
}

extension Credential {
    var isBearer: Bool {
        if case .bearer = self { return true }
        return false
    }
}
