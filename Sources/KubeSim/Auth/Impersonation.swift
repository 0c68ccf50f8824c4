/// The `Impersonate-*` headers of a request (`kubectl --as`, `--as-group`, `--as-uid`; client-go's
/// ImpersonationConfig), and the filter that honours them as kube-apiserver 1.20 does
/// (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go, WithImpersonation and
/// buildImpersonationRequests): each thing asked for is authorized for the caller with verb
/// `impersonate`, then the request runs as the user asked for.
struct Impersonation: Sendable, Equatable {
    /// `Impersonate-User` (its first value, as Go's `Header.Get`).
    var user: String?
    /// Every `Impersonate-Group` header line.
    var groups: [String] = []
    /// `Impersonate-Extra-KEY: VALUE`, the key lowercased and %-unescaped, one entry per value.
    var extras: [(key: String, value: String)] = []
    /// `Impersonate-Uid`: 1.20 predates it (1.22 added it, authorized on `uids`); honoured as 1.22
    /// does rather than ignored, so a client relying on it is never run as the caller unchecked.
    var uid: String?

    static func == (a: Self, b: Self) -> Bool {
        a.user == b.user && a.groups == b.groups && a.uid == b.uid
            && a.extras.map(\.key) == b.extras.map(\.key) && a.extras.map(\.value) == b.extras.map(\.value)
    }

    init() {}

    /// From the request's header lines, names in any case.
    init<S: Sequence>(headers: S) where S.Element == (name: String, value: String) {
        for (name, value) in headers {
            let lower = name.lowercased()
            switch lower {
            case "impersonate-user": if user == nil { user = value }
            case "impersonate-group": groups.append(value)
            case "impersonate-uid": if uid == nil { uid = value }
            default:
                guard lower.hasPrefix("impersonate-extra-") else { continue }
                extras.append((APIRequest.percentDecode(String(lower.dropFirst("impersonate-extra-".count))), value))
            }
        }
    }

    var isEmpty: Bool { (user ?? "").isEmpty && groups.isEmpty && extras.isEmpty && (uid ?? "").isEmpty }

    /// One thing to be allowed to impersonate: what `buildImpersonationRequests` makes of the headers.
    private struct Target {
        var attributes: RequestAttributes
        var describe: String
    }

    /// `impersonate` on users, serviceaccounts (for `system:serviceaccount:NS:NAME`), groups,
    /// `userextras/KEY` and `uids.authentication.k8s.io`, in the order the filter checks them.
    private var targets: [Target] {
        var out: [Target] = []
        func target(_ resource: String, group: String = "", namespace: String = "", name: String,
                    subresource: String = "", kind: String, version: String = "") -> Target {
            var a = RequestAttributes(verb: "impersonate", isResourceRequest: true, path: "")
            a.resource = resource
            a.apiGroup = group
            a.namespace = namespace
            a.name = name
            a.subresource = subresource
            // Go's %v of the v1.ObjectReference the filter builds, for the "without impersonating
            // a user" error: {Kind Namespace Name UID APIVersion ResourceVersion FieldPath}.
            return Target(attributes: a, describe: "{\(kind) \(namespace) \(name)  \(version)  \(subresource)}")
        }
        if let u = user, !u.isEmpty {
            if let (ns, name) = Self.serviceAccount(u) {
                out.append(target("serviceaccounts", namespace: ns, name: name, kind: "ServiceAccount"))
            } else {
                out.append(target("users", name: u, kind: "User"))
            }
        }
        for g in groups { out.append(target("groups", name: g, kind: "Group")) }
        for e in extras {
            out.append(target("userextras", group: "authentication.k8s.io", name: e.value, subresource: e.key,
                              kind: "UserExtra", version: "authentication.k8s.io/v1"))
        }
        if let uid, !uid.isEmpty {
            out.append(target("uids", group: "authentication.k8s.io", name: uid, kind: "UID", version: "authentication.k8s.io/v1"))
        }
        return out
    }

    /// serviceaccount.SplitUsername: `system:serviceaccount:NS:NAME` with a valid namespace and name.
    static func serviceAccount(_ user: String) -> (namespace: String, name: String)? {
        let prefix = "system:serviceaccount:"
        guard user.hasPrefix(prefix) else { return nil }
        let parts = user.dropFirst(prefix.count).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, NameValidation.check(parts[0], .dns1123Label) == nil,
              NameValidation.check(parts[1], .dns1123Subdomain) == nil else { return nil }
        return (parts[0], parts[1])
    }

    enum Failure: Error {
        /// Groups, extras or a uid without a user: 1.20 answers 500 (responsewriters.InternalError).
        case withoutUser(String)
        case forbidden(StatusError)
    }

    /// The user the request runs as, once `authorize` allowed `requestor` every part of it.
    func resolve(requestor: UserInfo, authorize: (RequestAttributes) -> (allowed: Bool, reason: String)) -> Result<UserInfo, Failure> {
        let targets = targets
        if (user ?? "").isEmpty {
            return .failure(.withoutUser("requested [" + targets.map(\.describe).joined(separator: " ") + "] without impersonating a user"))
        }
        var name = ""
        var groups: [String] = []
        for t in targets {
            switch t.attributes.resource {
            case "serviceaccounts":
                name = "system:serviceaccount:\(t.attributes.namespace):\(t.attributes.name)"
                // serviceaccount.MakeGroupNames, unless groups were given: then they are the authority.
                if self.groups.isEmpty { groups = ["system:serviceaccounts", "system:serviceaccounts:\(t.attributes.namespace)"] }
            case "users": name = t.attributes.name
            case "groups": groups.append(t.attributes.name)
            default: break
            }
            let decision = authorize(t.attributes)
            if !decision.allowed {
                return .failure(.forbidden(t.attributes.forbidden(user: requestor.name, reason: decision.reason)))
            }
        }
        // A named user gains system:authenticated unless either all-users group was asked for;
        // system:anonymous gains system:unauthenticated.
        if name != UserInfo.anonymous.name {
            if !groups.contains("system:authenticated") && !groups.contains("system:unauthenticated") {
                groups.append("system:authenticated")
            }
        } else if !groups.contains("system:unauthenticated") {
            groups.append("system:unauthenticated")
        }
        return .success(UserInfo(name: name, groups: groups))
    }
}
