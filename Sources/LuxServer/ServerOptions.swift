import Foundation
import LuxIO

/// How one `lux serve` instance runs. Nothing here is persistent state: every instance with the same
/// options behaves the same, so instances can be replicated behind any load balancer.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests); the bound port is reported by ``LuxServer/run(onRunning:)``.
    public var port = 8080
    /// Largest accepted request body (an image, or a multipart form with two images).
    public var maxUploadBytes = 64 << 20
    /// Jobs that run at once.
    public var workers = 2
    /// Admitted requests that may wait for a worker; beyond `workers + queueLength` the answer is 429.
    public var queueLength = 4
    /// Per-request time limit in seconds (waiting for a worker included); past it the answer is 504.
    public var timeoutSeconds = 120.0
    /// Decompression-bomb guard: images whose header claims more pixels are refused (422) before decoding.
    public var maxPixels = 50_000_000
    /// Longest side of `/v1/preview` images (what the web page edits live).
    public var previewMaxSide = 1024
    /// Parent folder of this instance's temp area (a fresh `lux-serve-*` folder, removed at shutdown).
    public var tempParent = NSTemporaryDirectory()

    public init() {}

    /// Upper bound of the temp area: each admitted request holds at most its upload twice (the body,
    /// and the parts of a multipart form) plus its encoded result.
    public var tempLimitBytes: Int { (workers + queueLength) * (3 * maxUploadBytes) }
}
