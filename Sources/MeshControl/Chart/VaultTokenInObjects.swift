import ObjectModel

/// Where the Vault token given to `install` comes back in what the API server answers: the
/// controller's `--vault-token` argument (its Deployment, ReplicaSets, Pods) and `vault.token`
/// in chart values. The `-v` log masks each one it finds (`ClientOptions.secretsInBody`), as
/// `install` masks the token of its own flag.
package enum VaultTokenInObjects {
    static let flag = "--vault-token"

    package static func tokens(in value: JSONValue) -> [String] {
        var found: [String] = []
        collect(value, into: &found)
        return found
    }

    private static func collect(_ value: JSONValue, into found: inout [String]) {
        switch value {
        case .array(let items):
            for (i, item) in items.enumerated() {
                guard let text = item.stringValue else { collect(item, into: &found); continue }
                if text == flag, i + 1 < items.count, let token = items[i + 1].stringValue, !token.isEmpty {
                    found.append(token)
                } else if text.hasPrefix(flag + "=") {
                    found.append(String(text.dropFirst(flag.count + 1)))
                }
            }
        case .object(let object):
            for (key, item) in object {
                if key == "vault", let token = item["token"]?.stringValue, !token.isEmpty { found.append(token) }
                collect(item, into: &found)
            }
        default:
            break
        }
    }
}
