import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol through `--remote-debugging-pipe` (messages
/// are JSON, each ended by a NUL byte, on file descriptors 3 (to the browser) and 4 (from it)), so
/// the test needs no websocket client. Synchronous; one page session.
final class HeadlessChromium {
    struct CDPError: Error, CustomStringConvertible { var description: String }

    /// The browser from Debian's `chromium` package (or another common name), nil if none is installed.
    static func find() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    private let profile: String
    /// The page's flat session id (set by ``openPage(width:height:)``).
    private(set) var session: String?

    init(binary: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("lux-chromium-\(UUID().uuidString)").path
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw CDPError(description: "pipe() failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 3)
        posix_spawn_file_actions_adddup2(&actions, output[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let args = [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--user-data-dir=\(profile)", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, binary, &actions, nil, &argv, environ)
        Glibc.close(input[0]); Glibc.close(output[1])
        guard rc == 0 else { throw CDPError(description: "cannot start \(binary): posix_spawn \(rc)") }
        pid = child
        toBrowser = input[1]
        fromBrowser = output[0]
    }

    /// Sends one command and waits for its answer (events in between are skipped); returns `result`.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], page: Bool = true, timeout: Double = 60) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if page, let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
            guard n > 0 else { throw CDPError(description: "the browser closed its pipe") }
            sent += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let reply = try readMessage(deadline: deadline, waitingFor: method)
            guard reply["id"] as? Int == id else { continue }
            if let error = reply["error"] as? [String: Any] { throw CDPError(description: "\(method): \(error["message"] ?? error)") }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    private func readMessage(deadline: Date, waitingFor method: String) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let data = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw CDPError(description: "\(method): no answer from the browser in time") }
            var fd = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            guard poll(&fd, 1, Int32(min(left, 1) * 1000)) >= 0 else { continue }
            guard fd.revents != 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
            guard n > 0 else { throw CDPError(description: "the browser exited") }
            buffer += chunk[..<n]
        }
    }

    /// Opens a page of `width` x `height` CSS pixels and attaches to it.
    func openPage(width: Int, height: Int) throws {
        let target = try send("Target.createTarget", ["url": "about:blank"], page: false)
        let attached = try send("Target.attachToTarget", ["targetId": target["targetId"] as? String ?? "", "flatten": true], page: false)
        session = attached["sessionId"] as? String
        try send("Page.enable")
        try send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
    }

    /// Evaluates a JavaScript expression in the page; returns its value (JSON-compatible).
    func evaluate(_ expression: String) throws -> Any? {
        let r = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = r["exceptionDetails"] as? [String: Any] { throw CDPError(description: "JavaScript: \(exception)") }
        return (r["result"] as? [String: Any])?["value"]
    }

    /// Polls `expression` until it is true.
    func wait(until expression: String, timeout: Double = 300) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try evaluate(expression) as? Bool == true { return }
            usleep(100_000)
        }
        let status = (try? evaluate("document.getElementById('status') && document.getElementById('status').textContent")) ?? nil
        throw CDPError(description: "timed out waiting for \(expression) (page status: \(status.map { "\($0)" } ?? "none"))")
    }

    /// Sets the files of the `<input type=file>` matched by `selector` (as a person picking a file).
    func setFile(_ selector: String, path: String) throws {
        let doc = try send("DOM.getDocument")
        let root = (doc["root"] as? [String: Any])?["nodeId"] as? Int ?? 0
        let node = try send("DOM.querySelector", ["nodeId": root, "selector": selector])
        try send("DOM.setFileInputFiles", ["files": [path], "nodeId": node["nodeId"] as? Int ?? 0])
    }

    /// A PNG screenshot of the viewport.
    func screenshot() throws -> Data {
        let r = try send("Page.captureScreenshot", ["format": "png"])
        guard let b64 = r["data"] as? String, let data = Data(base64Encoded: b64) else { throw CDPError(description: "no screenshot data") }
        return data
    }

    func close() {
        _ = try? send("Browser.close", page: false, timeout: 5)
        var status: Int32 = 0
        for _ in 0..<50 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, WNOHANG)
        Glibc.close(toBrowser); Glibc.close(fromBrowser)
        try? FileManager.default.removeItem(atPath: profile)
    }
}
