/// Who a request is from, as the API server's authenticators report it.
struct UserInfo: Sendable, Equatable {
    var name: String
    var groups: [String]

    static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])

    /// An authenticated user also belongs to `system:authenticated`, as every authenticator adds it.
    static func authenticated(_ name: String, groups: [String]) -> UserInfo {
        UserInfo(name: name, groups: groups.contains("system:authenticated") ? groups : groups + ["system:authenticated"])
    }
}

/// How requests are authorized, as kube-apiserver's `--authorization-mode`.
public enum AuthorizationMode: String, Sendable, CaseIterable {
    /// Roles and bindings decide; requests without credentials are `system:anonymous`.
    case rbac = "RBAC"
    /// Every authenticated request is allowed; requests without credentials are 401 (kube-apiserver
    /// turns anonymous authentication off with AlwaysAllow).
    case alwaysAllow = "AlwaysAllow"
}
