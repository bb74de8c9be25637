import Foundation

/// A bounded work queue with back-pressure: at most `workers` jobs run at once and at most
/// `capacity` requests are admitted (running or waiting); ``admit()`` refuses the rest, which the
/// server answers with 429. Jobs run on Dispatch threads, off Swift's cooperative pool, because the
/// engines are synchronous CPU-bound code.
public actor WorkQueue {
    public let workers: Int
    public let capacity: Int
    private(set) var admitted = 0
    private(set) var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(workers: Int, queueLength: Int) {
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queueLength)
    }

    /// Requests admitted and waiting for a worker.
    public var waiting: Int { admitted - running }
    /// Jobs running now.
    public var inFlight: Int { running }

    /// Takes a place in the queue; false when it is full.
    public func admit() -> Bool {
        guard admitted < capacity else { return false }
        admitted += 1
        return true
    }

    /// Gives back an admitted place that never started a job (the upload failed, or it timed out while waiting).
    public func withdraw() { admitted -= 1 }

    /// Waits for a worker (first come, first served). Call only after a successful ``admit()``.
    func start() async {
        if running < workers { running += 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Ends a started job: its worker goes to the next waiter, else back to the pool.
    func finish() {
        admitted -= 1
        if waiters.isEmpty { running -= 1 } else { waiters.removeFirst().resume() }
    }

    /// Runs `work` for an admitted request on a worker, giving up after `seconds` (waiting included)
    /// with ``APIError/timeout``. A job that has started runs to its end (CPU work cannot be interrupted);
    /// only then are its worker and its files (`cleanup`) released. A request that times out while
    /// waiting never starts.
    public func run<T: Sendable>(timeout seconds: Double, cleanup: @escaping @Sendable () -> Void,
                                 _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let once = OnceContinuation<T>()
        return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, any Error>) in
            once.set(cont)
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                once.resume(.failure(APIError.timeout(seconds: seconds)))
            }
            Task {
                await self.start()
                if once.isResumed {  // timed out while waiting
                    self.finish()
                    cleanup()
                    return
                }
                DispatchQueue.global().async {
                    let result = Result { try work() }
                    cleanup()
                    once.resume(result)
                    Task { await self.finish() }
                }
            }
        }
    }
}

/// A continuation resumed at most once, by whichever of the job and its deadline comes first.
final class OnceContinuation<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var resumed = false

    func set(_ c: CheckedContinuation<T, any Error>) { lock.withLock { continuation = c } }

    var isResumed: Bool { lock.withLock { resumed } }

    func resume(_ result: Result<T, any Error>) {
        let c: CheckedContinuation<T, any Error>? = lock.withLock {
            if resumed { return nil }
            resumed = true
            defer { continuation = nil }
            return continuation
        }
        c?.resume(with: result)
    }
}
