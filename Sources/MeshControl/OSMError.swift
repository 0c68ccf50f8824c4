import KubeClient

/// A failure of an osm action, worded for the person who ran the command (`message`, printed
/// as is), with what kind of failure it is (`kind`, for the command layer's decisions and for
/// tests) and the cluster's error it came from, if any (`kubeError`).
package struct OSMError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, independent of the wording.
    package enum Kind: Sendable, Equatable, CustomStringConvertible {
        /// A request to the cluster failed: the `KubeError`'s kind (not found, forbidden,
        /// conflict, already exists, timeout, connection, unauthorized...).
        case kube(KubeError.Kind)
        /// A flag, argument or value the user gave is not valid; nothing was sent.
        case invalidInput
        /// No control plane of the named mesh (or no such mesh) in the cluster.
        case meshNotFound
        /// A mesh of that name, or one in that namespace, already exists.
        case meshExists
        /// A mesh enforces a single mesh cluster, or meshes exist where one is to be enforced.
        case singleMeshEnforced
        /// Objects of this mesh left by an earlier install or uninstall; `--resume` finishes it.
        case partialInstall
        /// Objects that would be created exist and belong to something else.
        case foreignObjects
        /// The object belongs to another mesh, or to none (a namespace, a pod).
        case notInMesh
        /// The API server does not serve what the control plane needs.
        case unsupportedServer
        /// The control plane (or a pod) did not become ready in time.
        case notReady
        /// An object read from the cluster (a Helm release record, a ConfigMap value) is malformed.
        case badObject
        /// Anything else (the default of `OSMError("...")`).
        case other

        package var description: String {
            switch self {
            case .kube(let k): return "kube(\(k.rawValue))"
            case .invalidInput: return "invalidInput"
            case .meshNotFound: return "meshNotFound"
            case .meshExists: return "meshExists"
            case .singleMeshEnforced: return "singleMeshEnforced"
            case .partialInstall: return "partialInstall"
            case .foreignObjects: return "foreignObjects"
            case .notInMesh: return "notInMesh"
            case .unsupportedServer: return "unsupportedServer"
            case .notReady: return "notReady"
            case .badObject: return "badObject"
            case .other: return "other"
            }
        }
    }

    package let kind: Kind
    /// The user-facing text, byte for byte what is printed after `Error: `.
    package let message: String
    /// The cluster's error this one wraps, when a request failed.
    package let kubeError: KubeError?

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
        self.kubeError = nil
    }

    /// A failed request, worded by the action: the kind is the request's.
    package init(_ message: String, cause: KubeError) {
        self.kind = .kube(cause.kind)
        self.message = message
        self.kubeError = cause
    }

    /// A failed request, with the cluster's own words.
    package init(_ cause: KubeError) {
        self.init(cause.message, cause: cause)
    }

    /// Kind `.other`: for call sites where the kind does not matter.
    package init(_ message: String) {
        self.init(.other, message)
    }

    /// The same failure, worded differently (a prefix or suffix added by a caller).
    package func withMessage(_ message: String) -> OSMError {
        OSMError(kind: kind, message: message, kubeError: kubeError)
    }

    private init(kind: Kind, message: String, kubeError: KubeError?) {
        self.kind = kind
        self.message = message
        self.kubeError = kubeError
    }

    /// Any error of an action as an `OSMError`: `KubeError`s keep their kind and text.
    package static func from(_ error: any Error) -> OSMError {
        switch error {
        case let e as OSMError: return e
        case let e as KubeError: return OSMError(e)
        case let e as CustomStringConvertible: return OSMError(e.description)
        default: return OSMError("\(error)")
        }
    }

    package var description: String { message }
}
