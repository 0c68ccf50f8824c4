#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import ObjectModel

/// What a run sent (its journal), and what a failure does with it: listed to finish or remove,
/// or (with `atomic`) deleted newest first.
extension Install {
    /// What this run sent: objects it created, and objects whose create was sent but whose
    /// answer was lost (reset, timeout, server error), which may exist all the same.
    struct Journal {
        var created: [ObjectRef] = []
        var maybe: [ObjectRef] = []
        /// Everything this run may have created, in the order it was sent.
        var sent: [ObjectRef] { created + maybe }
    }

    /// A create that failed in a way that says nothing was created: the server answered and refused.
    static func createdNothing(_ e: KubeError) -> Bool {
        if e.kind == .interrupted { return e.code == 0 }
        guard let code = e.code else { return false }
        return (400..<500).contains(code) && code != 408
    }

    func leftInPlace(_ journal: Journal) -> String {
        let list = journal.sent.map(\.description).joined(separator: ", ")
        var line = "  this install created (or may have created) \(journal.sent.count) objects, left in place: \(list); "
        line += "finish the install with 'osm install --resume' and the same flags, or remove them with '\(uninstallCommand)'"
        if journal.sent.contains(where: { $0.resource == .namespaces }) {
            line += " (it keeps the namespace: then 'kubectl delete namespace \(namespace)')"
        }
        return line
    }

    // MARK: rollback

    /// Deletes, newest first, every object this run may have created (its create was sent),
    /// by name: none of them existed before the run. A second signal stops it; what is left is
    /// then listed with the command that removes it.
    /// `stopAtSignal`: the signal count that stops it (2 when a signal started it).
    func rollback(_ journal: Journal, namespaceChange: NamespaceChange, client: any KubeAPI, stopAtSignal: Int) -> String {
        let targets = Array(journal.sent.reversed())
        var deleted = 0
        var failed: [String] = []
        var left: [ObjectRef] = []
        var stopped = false
        for (i, r) in targets.enumerated() {
            if let interruption, interruption.count >= stopAtSignal {
                stopped = true
                left = Array(targets[i...])
                break
            }
            do throws(KubeError) {
                try client.delete(r.resource, namespace: r.namespace, name: r.name)
                deleted += 1
            } catch where error.kind == .notFound {
                continue
            } catch where error.kind == .interrupted {
                stopped = true
                left = Array(targets[i...])
                break
            } catch {
                failed.append("\(r): \(error.message)")
                left.append(r)
            }
        }
        var restoreFailed: String? = nil
        if !stopped, case .labelled(let previous) = namespaceChange {
            let label: JSONValue = previous.map { .string($0) } ?? .null
            do throws(KubeError) {
                _ = try client.patch(.namespaces, name: namespace, ["metadata": ["labels": ["name": label]]], type: .merge)
            } catch {
                restoreFailed = "could not restore the namespace's name label: \(error.message)"
            }
        }
        var out: String
        if stopped {
            out = "--atomic: rollback stopped by a second signal after deleting \(deleted) objects; left: \(left.map(\.description).joined(separator: ", ")); remove them with '\(uninstallCommand)'"
            if left.contains(where: { $0.resource == .namespaces }) { out += " and 'kubectl delete namespace \(namespace)'" }
        } else if failed.isEmpty {
            out = "--atomic: deleted the \(deleted) objects this install created"
        } else {
            out = "--atomic: could not delete \(failed.count) of the \(targets.count) objects this install created: \(failed.joined(separator: "; ")); remove them with '\(uninstallCommand)'"
        }
        if let restoreFailed { out += "; " + restoreFailed }
        return out
    }
}
