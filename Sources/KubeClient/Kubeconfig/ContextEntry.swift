/// One `contexts[].context` of a kubeconfig: a cluster, a user and a default namespace.
struct ContextEntry: Sendable, Equatable {
    var cluster: String
    var user: String
    var namespace: String?
    var origin: String
}
