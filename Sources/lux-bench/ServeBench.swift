import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `lux-bench serve [requests] [--concurrency N] [--photo FILE] [--workers N] [--queue N]`: starts one
/// `lux serve` (the `lux` built beside this binary) on a free loopback port, sends `requests` (default
/// 500) `POST /v1/enhance` at the given concurrency (default 8), and prints throughput, p50/p99 latency,
/// the answers by status, and the server's memory (peak, and resident after the first and the last
/// hundred requests). Loopback only; bounded in count, and each request in time (300 s).
enum ServeBench {
    struct Options {
        var requests = 500
        var concurrency = 8
        var photo = "Samples/kodim23.jpg"
        var serverArgs: [String] = []
    }

    static func parse(_ args: [String]) throws -> Options {
        var o = Options()
        var i = 0
        while i < args.count {
            let a = args[i], next = i + 1 < args.count ? args[i + 1] : nil
            switch a {
            case "--concurrency": o.concurrency = Int(next ?? "") ?? 8; i += 2
            case "--photo": o.photo = next ?? o.photo; i += 2
            case "--workers", "--queue", "--timeout": o.serverArgs += [a, next ?? ""]; i += 2
            default:
                guard let n = Int(a), n > 0 else { throw BenchError("unknown argument '\(a)'") }
                o.requests = min(n, 10_000); i += 1
            }
        }
        return o
    }

    struct BenchError: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    static func run(arguments: [String]) throws {
        let o = try parse(arguments)
        let photo = try Data(contentsOf: URL(fileURLWithPath: o.photo))
        let lux = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lux").path
        guard FileManager.default.isExecutableFile(atPath: lux) else { throw BenchError("\(lux) not found: build the lux product") }

        let server = Process()
        server.executableURL = URL(fileURLWithPath: lux)
        server.arguments = ["serve", "--port", "0"] + o.serverArgs
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let port = try readPort(out.fileHandleForReading)
        let pid = server.processIdentifier
        print("lux-bench serve: \(o.requests) x POST /v1/enhance (\(o.photo), \(photo.count) bytes) at concurrency \(o.concurrency) against pid \(pid) on 127.0.0.1:\(port) \(o.serverArgs.joined(separator: " "))")

        let tally = Tally(requests: o.requests)
        let url = URL(string: "http://127.0.0.1:\(port)/v1/enhance")!
        let session = URLSession(configuration: .ephemeral)
        let start = Date()
        let group = DispatchGroup()
        for _ in 0..<o.concurrency {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                while tally.take() {
                    var r = URLRequest(url: url)
                    r.httpMethod = "POST"
                    r.httpBody = photo
                    r.timeoutInterval = 300
                    let t0 = Date()
                    let done = DispatchSemaphore(value: 0)
                    let status = StatusBox()
                    session.dataTask(with: r) { _, response, _ in
                        status.value = (response as? HTTPURLResponse)?.statusCode ?? -1
                        done.signal()
                    }.resume()
                    done.wait()
                    tally.record(Date().timeIntervalSince(t0), status: status.value) { memory(pid: pid, field: "VmRSS") }
                }
            }
        }
        group.wait()
        let wall = Date().timeIntervalSince(start)
        let (latencies, statuses, rssAt) = tally.snapshot()
        let sorted = latencies.sorted()
        func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))] }
        let ok = statuses[200] ?? 0
        print(String(format: "throughput: %.2f requests/s (%d answered 200 in %.1f s)", Double(ok) / wall, ok, wall))
        print(String(format: "latency: p50 %.3f s, p99 %.3f s, max %.3f s", pct(0.5), pct(0.99), sorted.last ?? 0))
        print("answers by status: " + statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        let failed = statuses.filter { $0.key != 200 && $0.key != 429 }.values.reduce(0, +)
        print("failed (not 200, not 429): \(failed)")
        print(String(format: "server memory: peak (VmHWM) %.1f MiB; resident after request 100: %.1f MiB, after request %d: %.1f MiB",
                     memory(pid: pid, field: "VmHWM"), rssAt[100] ?? 0, (o.requests / 100) * 100, rssAt[(o.requests / 100) * 100] ?? 0))
        print("resident by hundred: " + rssAt.sorted { $0.key < $1.key }.map { String(format: "%d: %.1f", $0.key, $0.value) }.joined(separator: ", ") + " MiB")
    }

    /// What the client threads share: the next request to send, and what came back.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private let requests: Int
        private var sent = 0
        private var latencies: [Double] = []
        private var statuses: [Int: Int] = [:]
        private var rssAt: [Int: Double] = [:]   // answered count -> server RSS (MiB)

        init(requests: Int) { self.requests = requests }

        /// Claims one request to send; false when all are sent.
        func take() -> Bool { lock.withLock { sent < requests ? { sent += 1; return true }() : false } }

        /// Records an answer; every hundredth answer also samples the server's resident memory.
        func record(_ seconds: Double, status: Int, rss: () -> Double) {
            lock.withLock {
                latencies.append(seconds)
                statuses[status, default: 0] += 1
                if latencies.count % 100 == 0 { rssAt[latencies.count] = rss() }
            }
        }

        func snapshot() -> ([Double], [Int: Int], [Int: Double]) { lock.withLock { (latencies, statuses, rssAt) } }
    }

    final class StatusBox: @unchecked Sendable { var value = -1 }

    /// Reads the server's first line, `lux serve: http://HOST:PORT/ ...`, and returns PORT.
    static func readPort(_ handle: FileHandle) throws -> Int {
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("lux serve: http://") }),
               let portText = line.split(separator: ":").dropFirst(3).first?.split(separator: "/").first, let port = Int(portText) {
                return port
            }
        }
        throw BenchError("the server did not report its port (output: \(text))")
    }

    /// A `/proc/PID/status` memory field (VmRSS, VmHWM) in MiB.
    static func memory(pid: Int32, field: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
