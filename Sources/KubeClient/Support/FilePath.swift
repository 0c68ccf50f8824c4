/// Path arithmetic for kubeconfig file references: `~` expansion, and relative paths
/// resolved against the folder of the file that names them.
enum FilePath {
    static func expandTilde(_ path: String, home: String?) -> String {
        guard let home, !home.isEmpty else { return path }
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func absolute(_ path: String, cwd: @autoclosure () -> String) -> String {
        path.hasPrefix("/") ? path : join(cwd(), path)
    }

    static func join(_ base: String, _ rel: String) -> String {
        if rel.hasPrefix("/") { return rel }
        if base.hasSuffix("/") { return base + rel }
        return base + "/" + rel
    }

    /// A kubeconfig file reference: `~` expands, a relative path is relative to `base`.
    static func resolve(_ path: String, base: String, home: String?) -> String {
        let p = expandTilde(path, home: home)
        return p.hasPrefix("/") ? p : join(base, p)
    }
}
