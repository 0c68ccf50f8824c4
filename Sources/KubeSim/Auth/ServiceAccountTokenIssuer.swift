import Crypto
import Foundation
import ObjectModel

/// Signs and checks service account JWTs with the server's own key, as kube-apiserver's
/// `--service-account-signing-key-file` / `--service-account-key-file` pair (pkg/serviceaccount/jwt.go,
/// v1.20). The key is an ECDSA P-256 key, so tokens are ES256 (a real server takes RSA or ECDSA keys);
/// the header's `kid` is the base64url SHA-256 of the public key's DER (jwt.go keyIDFromPublicKey).
final class ServiceAccountTokenIssuer: @unchecked Sendable {
    /// The issuer of tokens from the legacy token controller (pkg/serviceaccount/legacy.go).
    static let legacyIssuer = "kubernetes/serviceaccount"
    /// kubeadm's `--service-account-issuer`; `--api-audiences` defaults to it.
    static let issuer = "https://kubernetes.default.svc.cluster.local"

    private let key = P256.Signing.PrivateKey()
    private let keyID: String

    init() {
        keyID = Self.base64url(Array(SHA256.hash(data: key.publicKey.derRepresentation)))
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        var s = Base64.encode(bytes)
        s = s.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    /// A compact JWS of `claims` (go-jose merges the claim sets into one map, so keys come sorted).
    func sign(_ claims: JSONValue) -> String {
        let header: JSONValue = ["alg": "ES256", "kid": .string(keyID)]
        let input = Self.base64url(header.jsonBytes()) + "." + Self.base64url(Self.sorted(claims).jsonBytes())
        let signature = (try? key.signature(for: Array(input.utf8)))?.rawRepresentation ?? Data()
        return input + "." + Self.base64url(Array(signature))
    }

    /// The claims of a token this issuer signed, or nil.
    func verify(_ token: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let sig = Base64.decode(parts[2], .lenient), let payload = Base64.decode(parts[1], .lenient),
              let signature = try? P256.Signing.ECDSASignature(rawRepresentation: sig),
              key.publicKey.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8))
        else { return nil }
        return try? JSONValue(parsing: payload)
    }

    private static func sorted(_ v: JSONValue) -> JSONValue {
        guard case .object(let o) = v else { return v }
        var out = JSONObject()
        for k in o.keys.sorted() { out[k] = sorted(o[k]!) }
        return .object(out)
    }
}
