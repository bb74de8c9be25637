import Foundation

/// Runs blocking work (a socket client that sleeps, a browser driven by polling) on a thread of its own
/// and awaits its result. `Task.detached` would not do: it runs on the cooperative pool, which has one
/// thread per core (two here), and a blocked pool thread starves the server under test of the threads it
/// needs to answer; with two such tests at once the server stops until their time-outs.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, any Error>) in
        let thread = Thread { cont.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
