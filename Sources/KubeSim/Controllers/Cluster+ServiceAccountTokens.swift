import Foundation
import ObjectModel

/// The token controller of 1.20's kube-controller-manager (pkg/controller/serviceaccount/tokens_controller.go):
/// each ServiceAccount gets a `kubernetes.io/service-account-token` Secret `<sa>-token-xxxxx` that it
/// references in `secrets`; a deleted account takes its token Secrets along, a deleted token Secret is
/// dropped from its account and replaced. And the authenticator of those tokens and of TokenRequest's.
extension Cluster {
    static let tokenSecretType = "kubernetes.io/service-account-token"

    /// The name of a token Secret of `sa` that `sa` references (admission's getReferencedServiceAccountToken).
    func referencedTokenSecretLocked(_ sa: JSONValue, namespace: String) -> String? {
        let secrets = type("", "secrets")
        let uid = sa[path: "metadata", "uid"]?.stringValue ?? ""
        let name = sa[path: "metadata", "name"]?.stringValue ?? ""
        for ref in sa["secrets"]?.arrayValue ?? [] {
            guard let secretName = ref["name"]?.stringValue,
                  let s = store.get(secrets.storageKey, namespace, secretName)?.value,
                  Self.isToken(s, of: name, uid: uid) else { continue }
            return secretName
        }
        return nil
    }

    private static func isToken(_ secret: JSONValue, of sa: String, uid: String) -> Bool {
        secret["type"]?.stringValue == tokenSecretType
            && secret[path: "metadata", "annotations", "kubernetes.io/service-account.name"]?.stringValue == sa
            && (uid.isEmpty || secret[path: "metadata", "annotations", "kubernetes.io/service-account.uid"]?.stringValue == uid)
    }

    /// tokens_controller.go ensureReferencedToken: nothing when the account references a token of its
    /// own; else a new token Secret (generateName `<sa>-token-`), then the reference.
    func ensureServiceAccountTokenLocked(namespace: String, name: String) {
        let saType = type("", "serviceaccounts")
        guard let sa = store.get(saType.storageKey, namespace, name)?.value,
              sa[path: "metadata", "deletionTimestamp"] == nil,
              referencedTokenSecretLocked(sa, namespace: namespace) == nil,
              store.get("namespaces", nil, namespace)?.value[path: "status", "phase"]?.stringValue != "Terminating"
        else { return }
        let secrets = type("", "secrets")
        var secretName = Identifiers.generateName("\(name)-token-")
        while store.get(secrets.storageKey, namespace, secretName) != nil { secretName = Identifiers.generateName("\(name)-token-") }
        let uid = sa[path: "metadata", "uid"]?.stringValue ?? ""
        // serviceaccount.LegacyClaims: the subject, and the account, its uid and the Secret as private claims.
        let token = tokenIssuer.sign([
            "iss": .string(ServiceAccountTokenIssuer.legacyIssuer),
            "kubernetes.io/serviceaccount/namespace": .string(namespace),
            "kubernetes.io/serviceaccount/secret.name": .string(secretName),
            "kubernetes.io/serviceaccount/service-account.name": .string(name),
            "kubernetes.io/serviceaccount/service-account.uid": .string(uid),
            "sub": .string("system:serviceaccount:\(namespace):\(name)"),
        ])
        putLocked(secrets, [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": .string(secretName), "namespace": .string(namespace),
                         "annotations": ["kubernetes.io/service-account.name": .string(name),
                                         "kubernetes.io/service-account.uid": .string(uid)]],
            "data": ["ca.crt": .string(Base64.encode(Array(caPEM.utf8))),
                     "namespace": .string(Base64.encode(Array(namespace.utf8))),
                     "token": .string(Base64.encode(Array(token.utf8)))],
            "type": .string(Self.tokenSecretType),
        ])
        var updated = sa
        updated["secrets"] = .array((sa["secrets"]?.arrayValue ?? []) + [["name": .string(secretName)]])
        putLocked(saType, updated)
    }

    /// What the token controller does when a ServiceAccount or a token Secret goes.
    func serviceAccountObjectRemovedLocked(_ t: ResourceType, _ object: JSONValue) {
        guard !t.custom, t.group.isEmpty else { return }
        let ns = object[path: "metadata", "namespace"]?.stringValue ?? ""
        let secrets = type("", "secrets")
        if t.kind == "ServiceAccount" {
            // deleteTokens: every token Secret of the account.
            let name = object[path: "metadata", "name"]?.stringValue ?? ""
            let uid = object[path: "metadata", "uid"]?.stringValue ?? ""
            for s in store.list(secrets.storageKey, namespace: ns).map(\.object) where Self.isToken(s.value, of: name, uid: uid) {
                removeLocked(secrets, ns, s.name)
            }
        } else if t.kind == "Secret", object["type"]?.stringValue == Self.tokenSecretType,
                  let saName = object[path: "metadata", "annotations", "kubernetes.io/service-account.name"]?.stringValue {
            // removeSecretReference, then the account's sync makes a new token.
            let saType = type("", "serviceaccounts")
            let secretName = object[path: "metadata", "name"]?.stringValue ?? ""
            guard let sa = store.get(saType.storageKey, ns, saName)?.value else { return }
            let refs = sa["secrets"]?.arrayValue ?? []
            let kept = refs.filter { $0["name"]?.stringValue != secretName }
            if kept.count != refs.count {
                var v = sa
                v["secrets"] = kept.isEmpty ? nil : .array(kept)
                putLocked(saType, v)
            }
            ensureServiceAccountTokenLocked(namespace: ns, name: saName)
        }
    }

    /// The user a service account token stands for, or nil when it is not one this server issued or it no
    /// longer holds (pkg/serviceaccount/legacy.go and claims.go Validate, v1.20): a legacy token while its
    /// Secret and account exist (uids matching); a TokenRequest token until it expires, while its account
    /// (and bound object) exist, when its audiences include the API's.
    func serviceAccountUser(token: String) -> UserInfo? {
        guard let claims = tokenIssuer.verify(token) else { return nil }
        return lock.withLock { () -> UserInfo? in
            let saType = type("", "serviceaccounts")
            let ns: String, name: String, uid: String
            if claims["iss"]?.stringValue == ServiceAccountTokenIssuer.legacyIssuer {
                ns = claims["kubernetes.io/serviceaccount/namespace"]?.stringValue ?? ""
                name = claims["kubernetes.io/serviceaccount/service-account.name"]?.stringValue ?? ""
                uid = claims["kubernetes.io/serviceaccount/service-account.uid"]?.stringValue ?? ""
                let secretName = claims["kubernetes.io/serviceaccount/secret.name"]?.stringValue ?? ""
                guard let secret = store.get(type("", "secrets").storageKey, ns, secretName)?.value,
                      secret[path: "metadata", "deletionTimestamp"] == nil,
                      secret[path: "data", "token"]?.stringValue.flatMap({ Base64.decode($0) }) == Array(token.utf8)
                else { return nil }
            } else if claims["iss"]?.stringValue == ServiceAccountTokenIssuer.issuer {
                let audiences = claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? []
                guard audiences.contains(ServiceAccountTokenIssuer.issuer),
                      let exp = claims["exp"]?.intValue, exp > Int(time(nil)),
                      let nbf = claims["nbf"]?.intValue, nbf <= Int(time(nil)) + 60 else { return nil }
                let k = claims["kubernetes.io"] ?? [:]
                ns = k["namespace"]?.stringValue ?? ""
                name = k[path: "serviceaccount", "name"]?.stringValue ?? ""
                uid = k[path: "serviceaccount", "uid"]?.stringValue ?? ""
                for (kind, resource) in [("pod", "pods"), ("secret", "secrets")] {
                    guard let ref = k[kind] else { continue }
                    guard let o = store.get(type("", resource).storageKey, ns, ref["name"]?.stringValue ?? "")?.value,
                          o[path: "metadata", "uid"] == ref["uid"], o[path: "metadata", "deletionTimestamp"] == nil else { return nil }
                }
            } else {
                return nil
            }
            guard let sa = store.get(saType.storageKey, ns, name)?.value, sa[path: "metadata", "uid"]?.stringValue == uid,
                  sa[path: "metadata", "deletionTimestamp"] == nil else { return nil }
            return .authenticated("system:serviceaccount:\(ns):\(name)", groups: ["system:serviceaccounts", "system:serviceaccounts:\(ns)"])
        }
    }

    /// pkg/registry/core/serviceaccount/storage/token.go (v1.20) Create: the account must exist, a bound
    /// Pod or Secret must exist (and be the account's, for a Pod); audiences default to the API's, the
    /// token lives spec.expirationSeconds (default 3600, at least 600).
    func createTokenLocked(namespace: String, name: String, request: JSONValue) throws(StatusError) -> JSONValue {
        let saType = type("", "serviceaccounts")
        var out = request
        out["apiVersion"] = "authentication.k8s.io/v1"
        out["kind"] = "TokenRequest"
        var spec = out["spec"] ?? [:]
        if spec["expirationSeconds"] == nil { spec["expirationSeconds"] = 3600 }  // SetDefaults_TokenRequestSpec
        let seconds = spec["expirationSeconds"]?.intValue ?? 3600
        // pkg/apis/authentication/validation ValidateTokenRequest.
        if seconds < 600 {
            throw StatusError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: "",
                                      [.invalid("spec.expirationSeconds", String(seconds), "may not specify a duration less than 10 minutes")])
        }
        if seconds > 1 << 32 {
            throw StatusError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: "",
                                      [.invalid("spec.expirationSeconds", String(seconds), "may not specify a duration larger than 2^32 seconds")])
        }
        guard let sa = store.get(saType.storageKey, namespace, name)?.value else { throw StatusError.notFound(saType, name) }
        var bound: (String, JSONValue)?
        if let ref = spec["boundObjectRef"], ref != .null {
            let kind = ref["kind"]?.stringValue ?? "", apiVersion = ref["apiVersion"]?.stringValue ?? ""
            let refName = ref["name"]?.stringValue ?? ""
            let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
            let resource: String
            switch (group, kind) {
            case ("", "Pod"): resource = "pods"
            case ("", "Secret"): resource = "secrets"
            default:
                let gvk = apiVersion.contains("/") ? "\(group)/\(apiVersion.split(separator: "/")[1]), Kind=\(kind)" : "/\(apiVersion), Kind=\(kind)"
                throw StatusError.badRequest("cannot bind token to object of type \(gvk)")
            }
            let t = type("", resource)
            guard let o = store.get(t.storageKey, namespace, refName)?.value else { throw StatusError.notFound(t, refName) }
            if resource == "pods", let podSA = o[path: "spec", "serviceAccountName"]?.stringValue, podSA != name {
                throw StatusError.badRequest("cannot bind token for serviceaccount \"\(name)\" to pod running with serviceaccount \"\(podSA)\"")
            }
            let uid = o[path: "metadata", "uid"]?.stringValue ?? ""
            if let want = ref["uid"]?.stringValue, !want.isEmpty, want != uid {
                throw StatusError(code: 409, reason: "Conflict",
                                  message: "Operation cannot be fulfilled on \(kind) \"\(refName)\": the UID in the bound object reference (\(want)) does not match the UID in record. The object might have been deleted and then recreated",
                                  details: ["name": .string(refName), "kind": .string(kind)])
            }
            bound = (resource == "pods" ? "pod" : "secret", ["name": .string(refName), "uid": .string(uid)])
        }
        if (spec["audiences"]?.arrayValue ?? []).isEmpty { spec["audiences"] = [.string(ServiceAccountTokenIssuer.issuer)] }
        // TokenRequestSpec's field order.
        var ordered = JSONObject()
        for k in ["audiences", "expirationSeconds", "boundObjectRef"] { if let v = spec[k] { ordered[k] = v } }
        spec = .object(ordered)
        out["spec"] = spec
        let now = Int(time(nil))
        // serviceaccount.Claims (pkg/serviceaccount/claims.go).
        var kubernetes = JSONObject([
            "namespace": .string(namespace),
            "serviceaccount": ["name": .string(name), "uid": sa[path: "metadata", "uid"] ?? ""],
        ])
        if let (k, v) = bound { kubernetes[k] = v }
        let token = tokenIssuer.sign([
            "aud": spec["audiences"] ?? [], "exp": .int(now + seconds), "iat": .int(now),
            "iss": .string(ServiceAccountTokenIssuer.issuer), "kubernetes.io": .object(kubernetes), "nbf": .int(now),
            "sub": .string("system:serviceaccount:\(namespace):\(name)"),
        ])
        var meta = out["metadata"]?.objectValue ?? JSONObject()
        meta["creationTimestamp"] = .null
        out["metadata"] = .object(meta)
        out["status"] = ["token": .string(token), "expirationTimestamp": .string(RFC3339.format(seconds: now + seconds))]
        return out
    }
}
