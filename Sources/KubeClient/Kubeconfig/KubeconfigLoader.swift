/// kubectl's loading rules: `--kubeconfig` > `KUBECONFIG` (`:`-joined, first definition of a
/// name wins, `current-context` from the first file that sets one) > `~/.kube/config` >
/// in-cluster service account; then `--context` or the current context picks cluster and user.
struct KubeconfigLoader {
    let options: ClientOptions
    var log: (String) -> Void = { _ in }
    /// Reads files a kubeconfig names (CA, certificates, keys, token files); tests and the fuzzer stub it.
    var readFile: (String) throws(FileSystem.ReadError) -> [UInt8] = { path throws(FileSystem.ReadError) in
        try FileSystem.read(path)
    }

    var home: String? { options.environment["HOME"] }

    /// The files to read, in precedence order, and whether they were named explicitly.
    func candidateFiles() throws(KubeError) -> [String] {
        let cwd = FileSystem.currentDirectory()
        if let explicit = options.kubeconfig, !explicit.isEmpty {
            let path = FilePath.absolute(FilePath.expandTilde(explicit, home: home), cwd: cwd)
            guard FileSystem.isRegularFile(path) else {
                throw KubeError(.kubeconfig,
                    "kubeconfig \(path) (from --kubeconfig) does not exist or is not a file; check the path")
            }
            return [path]
        }
        if let list = options.environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            var files: [String] = []
            for entry in list.split(separator: ":", omittingEmptySubsequences: true) {
                let path = FilePath.absolute(FilePath.expandTilde(String(entry), home: home), cwd: cwd)
                // kubectl skips KUBECONFIG entries that do not exist.
                if seen.insert(path).inserted, FileSystem.isRegularFile(path) { files.append(path) }
            }
            return files
        }
        if let home, !home.isEmpty {
            let path = FilePath.join(home, ".kube/config")
            if FileSystem.isRegularFile(path) { return [path] }
        }
        return []
    }

    func load() throws(KubeError) -> ClientConfig {
        let files = try candidateFiles()
        var parsed: [KubeconfigFile] = []
        for path in files {
            let text: String
            do {
                text = try FileSystem.readString(path)
            } catch {
                throw KubeError(.kubeconfig, "cannot read kubeconfig \(path): \(error.reason); check its permissions")
            }
            parsed.append(try KubeconfigFile(parsing: text, path: path))
            log("Config loaded from file:  \(path)")
        }
        let merged = Self.merge(parsed)
        if merged.isEmpty && (options.context ?? "").isEmpty && InClusterConfig.isPossible(options) {
            log("Using in-cluster configuration")
            return try InClusterConfig.load(options)
        }
        if parsed.isEmpty {
            let looked: String
            if let list = options.environment["KUBECONFIG"], !list.isEmpty {
                looked = "none of the files in KUBECONFIG (\(list)) exists"
            } else {
                looked = "\(FilePath.join(home ?? "~", ".kube/config")) does not exist"
            }
            throw KubeError(.kubeconfig,
                "no kubeconfig found: \(looked), and this is not a pod with a service account; pass --kubeconfig or set KUBECONFIG")
        }
        return try resolve(merged, files: files)
    }

    static func merge(_ files: [KubeconfigFile]) -> KubeconfigFile {
        var out = KubeconfigFile(empty: files.map(\.path).joined(separator: ":"))
        for f in files {
            if (out.currentContext ?? "").isEmpty, let cc = f.currentContext, !cc.isEmpty { out.currentContext = cc }
            for (k, v) in f.clusters where out.clusters[k] == nil { out.clusters[k] = v }
            for (k, v) in f.users where out.users[k] == nil { out.users[k] = v }
            for k in f.contextOrder where out.contexts[k] == nil {
                out.contexts[k] = f.contexts[k]
                out.contextOrder.append(k)
            }
        }
        return out
    }

    func resolve(_ merged: KubeconfigFile, files: [String]) throws(KubeError) -> ClientConfig {
        let where_ = files.count == 1 ? "kubeconfig \(files[0])" : "kubeconfig files \(files.joined(separator: ":"))"
        let contextName: String
        if let c = options.context, !c.isEmpty {
            contextName = c
        } else if let c = merged.currentContext, !c.isEmpty {
            contextName = c
        } else {
            let names = merged.contextOrder.isEmpty ? "" : " (contexts: \(merged.contextOrder.joined(separator: ", ")))"
            throw KubeError(.kubeconfig,
                "\(where_) sets no current-context\(names); pass --context NAME or run kubectl config use-context NAME")
        }
        guard let context = merged.contexts[contextName] else {
            let names = merged.contextOrder.isEmpty ? "it defines no contexts" : "contexts there: \(merged.contextOrder.joined(separator: ", "))"
            throw KubeError(.kubeconfig,
                "context \"\(contextName)\" not found in \(where_) (\(names)); pass --context with one of those")
        }
        guard !context.cluster.isEmpty, let cluster = merged.clusters[context.cluster] else {
            throw KubeError(.kubeconfig,
                "context \"\(contextName)\" in \(context.origin) refers to cluster \"\(context.cluster)\", which is not defined in \(where_); add it or fix the context")
        }
        var user: UserEntry? = nil
        if !context.user.isEmpty {
            guard let u = merged.users[context.user] else {
                throw KubeError(.kubeconfig,
                    "context \"\(contextName)\" in \(context.origin) refers to user \"\(context.user)\", which is not defined in \(where_); add it or fix the context")
            }
            user = u
        }
        guard let rawServer = cluster.server, !rawServer.isEmpty else {
            throw KubeError(.kubeconfig,
                "cluster \"\(context.cluster)\" in \(cluster.origin) has no server; set clusters[].cluster.server to the API server's URL")
        }
        let server = try Self.normalizeServer(rawServer, cluster: context.cluster, origin: cluster.origin)
        var config = ClientConfig(
            server: server, contextName: contextName, clusterName: context.cluster, userName: context.user,
            namespace: (context.namespace?.isEmpty == false ? context.namespace! : "default"), source: where_)

        // Cluster TLS.
        let clusterBase = FilePath.directory(of: cluster.origin)
        if let data = cluster.certificateAuthorityData {
            config.caPEM = data
        } else if let file = cluster.certificateAuthority {
            config.caPEM = try readReferenced(file, base: clusterBase, what: "certificate-authority of cluster \"\(context.cluster)\"", origin: cluster.origin)
        }
        config.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        if config.insecureSkipTLSVerify && config.caPEM != nil {
            throw KubeError(.kubeconfig,
                "cluster \"\(context.cluster)\" in \(cluster.origin) sets both a certificate authority and insecure-skip-tls-verify; remove one of them")
        }
        config.tlsServerName = cluster.tlsServerName
        config.proxyURL = cluster.proxyURL

        // User credentials.
        if let user {
            let base = FilePath.directory(of: user.origin)
            let who = "user \"\(context.user)\""
            if let data = user.clientCertificateData {
                config.clientCertificatePEM = data
            } else if let file = user.clientCertificate {
                config.clientCertificatePEM = try readReferenced(file, base: base, what: "client-certificate of \(who)", origin: user.origin)
            }
            if let data = user.clientKeyData {
                config.clientKeyPEM = data
            } else if let file = user.clientKey {
                config.clientKeyPEM = try readReferenced(file, base: base, what: "client-key of \(who)", origin: user.origin)
            }
            if (config.clientCertificatePEM == nil) != (config.clientKeyPEM == nil) {
                throw KubeError(.kubeconfig,
                    "\(who) in \(user.origin) has a client certificate without a key (or a key without a certificate); set both client-certificate and client-key")
            }
            let hasToken = user.token != nil || user.tokenFile != nil
            let hasBasic = user.username != nil || user.password != nil
            if hasToken && hasBasic {
                throw KubeError(.kubeconfig,
                    "\(who) in \(user.origin) has both a token and a username/password; keep only one authentication method")
            }
            if let provider = user.authProvider {
                if user.exec == nil {
                    throw KubeError(.kubeconfig,
                        "\(who) in \(user.origin) uses auth-provider \"\(provider)\", which kubectl no longer supports; switch to an exec credential plugin (e.g. kubelogin, gke-gcloud-auth-plugin)")
                }
            }
            if let file = user.tokenFile {
                // client-go prefers the file's contents over an inline token.
                let bytes = try readReferenced(file, base: base, what: "tokenFile of \(who)", origin: user.origin)
                config.credential = .bearer(String(decoding: bytes, as: UTF8.self).trimmingWhitespace)
            } else if let token = user.token {
                config.credential = .bearer(token)
            } else if hasBasic {
                config.credential = .basic(username: user.username ?? "", password: user.password ?? "")
            } else if var exec = user.exec {
                if exec.command.contains("/") {
                    exec.command = FilePath.resolve(exec.command, base: base, home: home)
                }
                config.credential = .exec(exec)
            }
            config.impersonate = user.impersonate
            config.impersonateGroups = user.impersonateGroups
        }
        return config
    }

    private func readReferenced(_ file: String, base: String, what: String, origin: String) throws(KubeError) -> [UInt8] {
        let path = FilePath.resolve(file, base: base, home: home)
        do {
            return try readFile(path)
        } catch {
            throw KubeError(.kubeconfig, "cannot read \(what) named in \(origin): \(path): \(error.reason); fix the path (relative paths are relative to that file's folder)")
        }
    }

    /// A server URL with a scheme; `host:port` alone means https, as client-go reads it.
    static func normalizeServer(_ raw: String, cluster: String, origin: String) throws(KubeError) -> String {
        var s = raw.trimmingWhitespace
        if !s.contains("://") { s = "https://" + s }
        guard let url = ServerURL(s) else {
            throw KubeError(.kubeconfig,
                "cluster \"\(cluster)\" in \(origin) has server \"\(raw)\", which is not an http(s) URL; set it to e.g. https://host:6443")
        }
        return url.description
    }
}

extension KubeconfigFile {
    init(empty path: String) {
        self.path = path
    }
}
