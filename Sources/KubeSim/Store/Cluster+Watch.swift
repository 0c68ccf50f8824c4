import Foundation
import NIOConcurrencyHelpers
import ObjectModel

/// Watchers and the events a write sends them.
extension Cluster {
    // MARK: - Watch

    enum WatchStart {
        case started(id: Int)
        /// Nothing was registered: the watch's one event is this ERROR Status, then it ends, as 1.20's
        /// cacher answers a resourceVersion older than its window (staging/src/k8s.io/apiserver/pkg/storage/
        /// cacher/cacher.go Watch: GetAllEventsSinceThreadUnsafe fails, `return newErrWatcher(err), nil`).
        case expired(status: JSONValue)
    }

    /// Registers a watcher. With `sinceResourceVersion` nil or 0 it first gets every current object as
    /// ADDED; otherwise it gets the recorded changes after that version, then live ones.
    func addWatcher(_ w: Watcher, sinceResourceVersion: Int?) -> WatchStart {
        lock.withLock {
            if let since = sinceResourceVersion, since > 0 {
                let window = watchCaches[w.storageKey] ?? WatchCache(listResourceVersion: watchCacheBaseRV ?? 0)
                switch window.events(since: since) {
                case .failure(let e): return .expired(status: e.body)
                case .success(let events):
                    for e in events { Self.deliver(w, e.type, e.object, previous: e.previous) }
                }
            } else {
                for e in store.list(w.storageKey, namespace: w.namespace) where w.wants(e.object.value) {
                    w.send("ADDED", e.object.value)
                }
            }
            nextWatcherID += 1
            watchers[nextWatcherID] = w
            return .started(id: nextWatcherID)
        }
    }

    func removeWatcher(_ id: Int) {
        lock.withLock { _ = watchers.removeValue(forKey: id) }
    }

    func notify(_ t: ResourceType, _ event: String, _ object: JSONValue, previous: JSONValue? = nil) {
        defer { endpointsInputChangedLocked(t, event, object) }
        let rv = Int(object[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? store.resourceVersion
        history.append((rv, t.storageKey, event, object, previous))
        if let base = watchCacheBaseRV {
            watchCaches[t.storageKey, default: WatchCache(listResourceVersion: base)]
                .add(.init(rv: rv, time: Timestamp.monotonic(), type: event, object: object, previous: previous),
                     freshSeconds: watchCacheFreshSeconds)
        }
        if history.count > 4000 {
            history.removeFirst(1000)
            historyTruncated = true
        }
        guard !watchers.isEmpty else { return }
        for w in watchers.values where w.storageKey == t.storageKey {
            Self.deliver(w, event, object, previous: previous)
        }
    }

    /// As the watch cache does for a filtered watch: a modification that makes an object start
    /// matching is ADDED, one that makes it stop matching is DELETED (the previous state at the
    /// new resourceVersion).
    static func deliver(_ w: Watcher, _ event: String, _ object: JSONValue, previous: JSONValue?) {
        let now = w.wants(object)
        guard event == "MODIFIED", let previous else {
            if now { w.send(event, object) }
            return
        }
        let before = w.wants(previous)
        switch (before, now) {
        case (true, true): w.send("MODIFIED", object)
        case (false, true): w.send("ADDED", object)
        case (true, false):
            var gone = previous
            gone["metadata"]?["resourceVersion"] = object[path: "metadata", "resourceVersion"]
            w.send("DELETED", gone)
        case (false, false): break
        }
    }
}
