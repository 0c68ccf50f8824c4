/// A `users[].user.exec` credential plugin, as client-go runs it.
struct ExecConfig: Sendable, Hashable {
    enum InteractiveMode: String, Sendable, Hashable {
        case never = "Never", ifAvailable = "IfAvailable", always = "Always"
    }

    var command: String
    var args: [String] = []
    var env: [(name: String, value: String)] = []
    var apiVersion: String
    var installHint: String?
    var provideClusterInfo = false
    var interactiveMode: InteractiveMode

    static let supportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    static func == (a: ExecConfig, b: ExecConfig) -> Bool {
        a.command == b.command && a.args == b.args && a.env.map { "\($0.name)=\($0.value)" } == b.env.map { "\($0.name)=\($0.value)" }
            && a.apiVersion == b.apiVersion && a.provideClusterInfo == b.provideClusterInfo
            && a.interactiveMode == b.interactiveMode && a.installHint == b.installHint
    }

    func hash(into h: inout Hasher) {
        h.combine(command)
        h.combine(args)
        for e in env { h.combine(e.name); h.combine(e.value) }
        h.combine(apiVersion)
    }
}
