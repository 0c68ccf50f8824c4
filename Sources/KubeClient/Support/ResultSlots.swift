/// Per-index results written by worker threads, read once they have all finished.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = Lock()
    private var slots: [Result<T, KubeError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<T, KubeError>) { lock.withLock { slots[i] = r } }

    func values() -> [Result<T, KubeError>] {
        lock.withLock {
            slots.map { $0 ?? .failure(KubeError(.other, "internal error: a concurrent request never finished")) }
        }
    }
}
