import Foundation

/// Counters for `GET /metrics`, in the Prometheus text format (0.0.4): requests by route and status,
/// a latency histogram by route, and gauges read at scrape time (queue depth, jobs in flight, temp
/// area bytes, resident memory).
public final class ServerMetrics: @unchecked Sendable {
    /// Latency bucket bounds in seconds.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

    struct Latency { var counts = [Int](repeating: 0, count: ServerMetrics.buckets.count); var sum = 0.0; var count = 0 }
    struct Key: Hashable, Comparable {
        var route: String; var status: Int
        static func < (a: Key, b: Key) -> Bool { (a.route, a.status) < (b.route, b.status) }
    }

    private let lock = NSLock()
    private var requests: [Key: Int] = [:]
    private var latency: [String: Latency] = [:]

    public init() {}

    public func record(route: String, status: Int, seconds: Double) {
        lock.withLock {
            requests[Key(route: route, status: status), default: 0] += 1
            var l = latency[route] ?? Latency()
            for (i, b) in Self.buckets.enumerated() where seconds <= b { l.counts[i] += 1 }
            l.sum += seconds
            l.count += 1
            latency[route] = l
        }
    }

    /// Requests answered with `status` on `route` so far.
    public func count(route: String, status: Int) -> Int { lock.withLock { requests[Key(route: route, status: status)] ?? 0 } }

    /// The scrape text; `gauges` are name, help and value.
    public func render(gauges: [(String, String, Double)]) -> String {
        let (reqs, lat) = lock.withLock { (requests, latency) }
        var s = "# HELP lux_http_requests_total HTTP requests answered, by route and status.\n# TYPE lux_http_requests_total counter\n"
        for (k, v) in reqs.sorted(by: { $0.key < $1.key }) {
            s += "lux_http_requests_total{route=\"\(k.route)\",status=\"\(k.status)\"} \(v)\n"
        }
        s += "# HELP lux_http_request_duration_seconds Time from request to response, by route.\n# TYPE lux_http_request_duration_seconds histogram\n"
        for (route, l) in lat.sorted(by: { $0.key < $1.key }) {
            for (i, b) in Self.buckets.enumerated() {
                s += "lux_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"\(b)\"} \(l.counts[i])\n"
            }
            s += "lux_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} \(l.count)\n"
            s += "lux_http_request_duration_seconds_sum{route=\"\(route)\"} \(l.sum)\n"
            s += "lux_http_request_duration_seconds_count{route=\"\(route)\"} \(l.count)\n"
        }
        for (name, help, value) in gauges {
            s += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)\n"
        }
        return s
    }

    /// Resident set size of this process in bytes (Linux /proc; 0 elsewhere).
    public static func residentBytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
