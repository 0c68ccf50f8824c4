/// One `users[].user` of a kubeconfig: the credentials for a context.
struct UserEntry: Sendable, Equatable {
    var token: String?
    var tokenFile: String?
    var clientCertificate: String?
    var clientCertificateData: [UInt8]?
    var clientKey: String?
    var clientKeyData: [UInt8]?
    var username: String?
    var password: String?
    var impersonate: String?
    var impersonateGroups: [String] = []
    var exec: ExecConfig?
    var authProvider: String?
    var origin: String
}
