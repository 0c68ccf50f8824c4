/// The outcome of one check of `osm verify`, with the checks it is made of: upstream v1.x's
/// `verifier.Result` (context, status, reason, suggestion, nested results).
package struct Verification: Sendable, Equatable {
    package enum Status: String, Sendable {
        case success = "Success"
        case failure = "Failure"
        /// The check could not be made (an API error, an unreadable sidecar).
        case unknown = "Unknown"
    }

    package var context: String
    package var status: Status
    package var reason: String
    package var suggestion: String
    package var nested: [Verification]

    package init(context: String, status: Status, reason: String = "", suggestion: String = "", nested: [Verification] = []) {
        self.context = context
        self.status = status
        self.reason = reason
        self.suggestion = suggestion
        self.nested = nested
    }

    package static func success(_ context: String, _ reason: String = "") -> Verification {
        Verification(context: context, status: .success, reason: reason)
    }

    package static func failure(_ context: String, _ reason: String, suggestion: String = "") -> Verification {
        Verification(context: context, status: .failure, reason: reason, suggestion: suggestion)
    }

    package static func unknown(_ context: String, _ reason: String, suggestion: String = "") -> Verification {
        Verification(context: context, status: .unknown, reason: reason, suggestion: suggestion)
    }

    /// Upstream's `verifier.Set.Run`: a failed step fails the whole; otherwise an unknown step
    /// leaves it unknown (upstream calls that a success; a check that could not be made is not one).
    package static func all(_ context: String, _ steps: [Verification]) -> Verification {
        var v = Verification(context: context, status: .success, nested: steps)
        if steps.contains(where: { $0.status == .failure }) {
            v.status = .failure
            v.reason = "A verification step failed"
            v.suggestion = "Please follow the suggestions listed in the failed steps below to resolve the issue"
        } else if steps.contains(where: { $0.status == .unknown }) {
            v.status = .unknown
            v.reason = "A verification step could not be completed"
            v.suggestion = "Please follow the suggestions listed in the steps below"
        }
        return v
    }
}
