import ObjectModel
import YAMLCodec

/// One kubeconfig file, parsed: its named clusters, users and contexts.
struct KubeconfigFile: Sendable {
    var path: String
    var clusters: [String: ClusterEntry] = [:]
    var users: [String: UserEntry] = [:]
    var contexts: [String: ContextEntry] = [:]
    /// Names in file order, for messages that list what is available.
    var contextOrder: [String] = []
    var currentContext: String?

    var isEmpty: Bool { clusters.isEmpty && users.isEmpty && contexts.isEmpty && (currentContext ?? "").isEmpty }

    /// Parses kubeconfig text; `path` names the file in errors and anchors relative paths.
    init(parsing text: String, path: String) throws(KubeError) {
        self.path = path
        let root: JSONValue
        do {
            root = try YAML.parse(text)
        } catch {
            throw KubeError(.kubeconfig,
                "kubeconfig \(path) is not valid YAML: line \(error.line), column \(error.column): \(error.message); fix the file or point --kubeconfig elsewhere")
        }
        let reader = FieldReader(path: path)
        if root.isNull { return }
        guard case .object(let top) = root else {
            throw reader.fail("", "want a mapping with clusters, users and contexts")
        }
        if let cc = top["current-context"], !cc.isNull {
            currentContext = try reader.string(cc, "current-context")
        }
        for (i, item) in try reader.list(top["clusters"], "clusters").enumerated() {
            let at = "clusters[\(i)]"
            let (name, body) = try reader.named(item, at, field: "cluster")
            var c = ClusterEntry(origin: path)
            c.server = try reader.optString(body["server"], "\(at).cluster.server")
            c.certificateAuthority = try reader.optString(body["certificate-authority"], "\(at).cluster.certificate-authority")
            c.certificateAuthorityData = try reader.optBase64(body["certificate-authority-data"], "\(at).cluster.certificate-authority-data")
            c.insecureSkipTLSVerify = try reader.optBool(body["insecure-skip-tls-verify"], "\(at).cluster.insecure-skip-tls-verify") ?? false
            c.tlsServerName = try reader.optString(body["tls-server-name"], "\(at).cluster.tls-server-name")
            c.proxyURL = try reader.optString(body["proxy-url"], "\(at).cluster.proxy-url")
            clusters[name] = c
        }
        for (i, item) in try reader.list(top["users"], "users").enumerated() {
            let at = "users[\(i)]"
            let (name, body) = try reader.named(item, at, field: "user")
            var u = UserEntry(origin: path)
            u.token = try reader.optString(body["token"], "\(at).user.token")
            u.tokenFile = try reader.optString(body["tokenFile"], "\(at).user.tokenFile")
            u.clientCertificate = try reader.optString(body["client-certificate"], "\(at).user.client-certificate")
            u.clientCertificateData = try reader.optBase64(body["client-certificate-data"], "\(at).user.client-certificate-data")
            u.clientKey = try reader.optString(body["client-key"], "\(at).user.client-key")
            u.clientKeyData = try reader.optBase64(body["client-key-data"], "\(at).user.client-key-data")
            u.username = try reader.optString(body["username"], "\(at).user.username")
            u.password = try reader.optString(body["password"], "\(at).user.password")
            u.impersonate = try reader.optString(body["as"], "\(at).user.as")
            if let groups = body["as-groups"], !groups.isNull {
                u.impersonateGroups = try reader.list(groups, "\(at).user.as-groups").enumerated().map { (j, g) throws(KubeError) in
                    try reader.string(g, "\(at).user.as-groups[\(j)]")
                }
            }
            if let ap = body["auth-provider"], !ap.isNull {
                u.authProvider = try reader.optString(ap["name"], "\(at).user.auth-provider.name") ?? "unknown"
            }
            if let ex = body["exec"], !ex.isNull {
                u.exec = try reader.exec(ex, "\(at).user.exec", user: name)
            }
            users[name] = u
        }
        for (i, item) in try reader.list(top["contexts"], "contexts").enumerated() {
            let at = "contexts[\(i)]"
            let (name, body) = try reader.named(item, at, field: "context")
            let c = ContextEntry(
                cluster: try reader.optString(body["cluster"], "\(at).context.cluster") ?? "",
                user: try reader.optString(body["user"], "\(at).context.user") ?? "",
                namespace: try reader.optString(body["namespace"], "\(at).context.namespace"),
                origin: path)
            if contexts[name] == nil { contextOrder.append(name) }
            contexts[name] = c
        }
    }
}

/// Reads typed fields out of a kubeconfig value, failing with the field's path in the file.
private struct FieldReader {
    let path: String

    func fail(_ field: String, _ want: String) -> KubeError {
        let at = field.isEmpty ? "" : " at \(field)"
        return KubeError(.kubeconfig, "kubeconfig \(path) is malformed\(at): \(want); fix the file or point --kubeconfig elsewhere")
    }

    func string(_ v: JSONValue, _ field: String) throws(KubeError) -> String {
        switch v {
        case .string(let s): return s
        case .null: return ""
        // YAML 1.1 reads unquoted `no`, `n`, `0123` or `1e5` as booleans and numbers, and kubectl then
        // refuses them; guessing the text back could turn a password `no` into "false".
        case .int, .double, .bool:
            throw fail(field, "want a string, but YAML reads this unquoted value as a \(v.boolValue != nil ? "boolean" : "number"); put it in quotes")
        default: throw fail(field, "want a string")
        }
    }

    func optString(_ v: JSONValue?, _ field: String) throws(KubeError) -> String? {
        guard let v, !v.isNull else { return nil }
        let s = try string(v, field)
        return s.isEmpty ? nil : s
    }

    func optBool(_ v: JSONValue?, _ field: String) throws(KubeError) -> Bool? {
        guard let v, !v.isNull else { return nil }
        switch v {
        case .bool(let b): return b
        case .string(let s):
            guard let b = GoBool.parse(s) else { throw fail(field, "want true or false") }
            return b
        default: throw fail(field, "want true or false")
        }
    }

    func optBase64(_ v: JSONValue?, _ field: String) throws(KubeError) -> [UInt8]? {
        guard let s = try optString(v, field) else { return nil }
        guard let bytes = Base64.decode(s, .lenient) else { throw fail(field, "want base64-encoded PEM data") }
        return bytes
    }

    func list(_ v: JSONValue?, _ field: String) throws(KubeError) -> [JSONValue] {
        guard let v, !v.isNull else { return [] }
        guard case .array(let a) = v else { throw fail(field, "want a list") }
        return a
    }

    /// A `{name: ..., <field>: {...}}` list item.
    func named(_ item: JSONValue, _ at: String, field: String) throws(KubeError) -> (String, JSONValue) {
        guard case .object = item else { throw fail(at, "want a mapping with name and \(field)") }
        guard let name = try optString(item["name"], "\(at).name") else { throw fail("\(at).name", "every entry needs a name") }
        let body = item[field] ?? .null
        switch body {
        case .object, .null: return (name, body)
        default: throw fail("\(at).\(field)", "want a mapping")
        }
    }

    func exec(_ v: JSONValue, _ at: String, user: String) throws(KubeError) -> ExecConfig {
        guard case .object = v else { throw fail(at, "want a mapping") }
        guard let command = try optString(v["command"], "\(at).command") else {
            throw fail("\(at).command", "an exec plugin needs a command")
        }
        let apiVersion = try optString(v["apiVersion"], "\(at).apiVersion") ?? ""
        guard ExecConfig.supportedVersions.contains(apiVersion) else {
            throw KubeError(.kubeconfig,
                "kubeconfig \(path): exec plugin of user \"\(user)\" has apiVersion \"\(apiVersion)\"; use client.authentication.k8s.io/v1 or v1beta1")
        }
        var args: [String] = []
        for (j, a) in try list(v["args"], "\(at).args").enumerated() { args.append(try string(a, "\(at).args[\(j)]")) }
        var env: [(name: String, value: String)] = []
        for (j, e) in try list(v["env"], "\(at).env").enumerated() {
            guard case .object = e, let name = try optString(e["name"], "\(at).env[\(j)].name") else {
                throw fail("\(at).env[\(j)]", "want a mapping with name and value")
            }
            env.append((name, try optString(e["value"], "\(at).env[\(j)].value") ?? ""))
        }
        let modeText = try optString(v["interactiveMode"], "\(at).interactiveMode")
        let mode: ExecConfig.InteractiveMode
        if let modeText {
            guard let m = ExecConfig.InteractiveMode(rawValue: modeText) else {
                throw fail("\(at).interactiveMode", "want Never, IfAvailable or Always")
            }
            mode = m
        } else if apiVersion == "client.authentication.k8s.io/v1" {
            throw KubeError(.kubeconfig,
                "kubeconfig \(path): exec plugin of user \"\(user)\" must set interactiveMode (Never, IfAvailable or Always) with apiVersion client.authentication.k8s.io/v1")
        } else {
            mode = .ifAvailable
        }
        return ExecConfig(
            command: command, args: args, env: env, apiVersion: apiVersion,
            installHint: try optString(v["installHint"], "\(at).installHint"),
            provideClusterInfo: try optBool(v["provideClusterInfo"], "\(at).provideClusterInfo") ?? false,
            interactiveMode: mode)
    }
}
