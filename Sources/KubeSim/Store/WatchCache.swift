import ObjectModel

/// One resource's window of recent events, as 1.20's watch cache keeps it
/// (staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go, v1.20, from knowledge of the
/// sources): a cyclic buffer per resource that starts at `defaultLowerBoundCapacity` (100) events,
/// doubles (up to `defaultUpperBoundCapacity`, 100*1024) when its oldest event is younger than
/// `eventFreshDuration` (75s) as a new one comes, and halves (not below 100) when even the event a
/// quarter from its end is older than that (resizeCacheLocked). A watch from a resourceVersion before
/// the window gets `too old resource version: RV (OLDEST-1)` (getAllEventsSinceLocked).
struct WatchCache {
    static let lowerBoundCapacity = 100
    static let upperBoundCapacity = 100 * 1024

    struct Event {
        let rv: Int
        let time: Double
        let type: String
        let object: JSONValue
        let previous: JSONValue?
    }

    /// The resourceVersion of the list the cache started from (the server's start here).
    let listResourceVersion: Int
    private(set) var capacity = WatchCache.lowerBoundCapacity
    private var buffer: [Event] = []
    private var head = 0
    /// Whether an event was ever pushed out (watch_cache's startIndex > 0).
    private(set) var evicted = false

    init(listResourceVersion: Int) {
        self.listResourceVersion = listResourceVersion
    }

    var count: Int { buffer.count - head }
    private var isFull: Bool { count >= capacity }
    private func at(_ i: Int) -> Event { buffer[head + i] }

    mutating func add(_ e: Event, freshSeconds: Double) {
        resize(at: e.time, freshSeconds: freshSeconds)
        if isFull { drop(1) }
        buffer.append(e)
    }

    private mutating func resize(at time: Double, freshSeconds: Double) {
        guard isFull else { return }
        if time - at(0).time < freshSeconds {
            capacity = min(capacity * 2, Self.upperBoundCapacity)
            return
        }
        if time - at(count - capacity / 4).time > freshSeconds {
            let smaller = max(capacity / 2, Self.lowerBoundCapacity)
            if smaller < capacity {
                capacity = smaller
                if count > capacity { drop(count - capacity) }
            }
        }
    }

    private mutating func drop(_ n: Int) {
        head += n
        evicted = true
        if head > 1024 && head * 2 > buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
    }

    /// The oldest resourceVersion a watch can start after (getAllEventsSinceLocked's `oldest`).
    var oldest: Int {
        if !evicted || count == 0 { return listResourceVersion + 1 }
        return at(0).rv
    }

    /// The events after `rv`, or the 410 a watch from it gets.
    func events(since rv: Int) -> Result<ArraySlice<Event>, StatusError> {
        let oldest = self.oldest
        if rv < oldest - 1 {
            return .failure(StatusError(code: 410, reason: "Expired",
                                        message: "too old resource version: \(rv) (\(oldest - 1))"))
        }
        var lo = head, hi = buffer.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if buffer[mid].rv <= rv { lo = mid + 1 } else { hi = mid }
        }
        return .success(buffer[lo...])
    }
}
