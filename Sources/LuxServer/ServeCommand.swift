import ArgumentParser
import Foundation

/// `lux serve`: the HTTP API and web page (registered by the `lux` executable, which sits above
/// both LuxCLI and LuxServer).
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the engines over HTTP: a JSON API and a web page to enhance, compare and hand-edit photos.",
        discussion: """
        Open http://HOST:PORT/ for the page. API: POST /v1/enhance, /v1/correct, /v1/reexpose, /v1/transfer, /v1/adjust, /v1/apply, \
        /v1/preview (image as the body, or a multipart form); GET /v1/health, /v1/filters, /metrics. \
        At most --workers jobs run at once and --queue more wait; beyond that requests get 429. \
        Uploads go to a bounded temp folder, removed when the server stops.
        """
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8080
    @Option(name: .customLong("max-upload-mb"), help: "Largest request body in MiB.") var maxUploadMB = 64
    @Option(help: "Jobs that run at once.") var workers = 2
    @Option(help: "Requests that may wait for a worker before the server answers 429.") var queue: Int?
    @Option(help: "Per-request time limit in seconds (504 past it).") var timeout = 120.0
    @Option(help: "Refuse images with more pixels than this (422).") var maxPixels = ServerOptions().maxPixels
    @Option(name: .customLong("temp-dir"), help: "Parent folder of the temp area.") var tempDir = NSTemporaryDirectory()

    public init() {}

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535, got \(port)") }
        guard (1...4096).contains(maxUploadMB) else { throw ValidationError("--max-upload-mb must be 1-4096, got \(maxUploadMB)") }
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be 1-256, got \(workers)") }
        if let queue, !(0...10_000).contains(queue) { throw ValidationError("--queue must be 0-10000, got \(queue)") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
    }

    public var options: ServerOptions {
        var o = ServerOptions()
        o.host = host; o.port = port; o.maxUploadBytes = maxUploadMB << 20; o.workers = workers
        o.queueLength = queue ?? 2 * workers; o.timeoutSeconds = timeout; o.maxPixels = maxPixels; o.tempParent = tempDir
        return o
    }

    public func run() async throws { try await serve() }

    /// Loads the default models and serves until SIGINT/SIGTERM. (A name of its own: through an
    /// existential, `run()` resolves to ParsableCommand's synchronous default, which prints help.)
    public func serve() async throws {
        let opts = options
        let server = try LuxServer(options: opts, engines: try Engines.loadDefault())
        try await server.run { port in
            let line = "lux serve: http://\(opts.host):\(port)/ (workers \(opts.workers), queue \(opts.queueLength), max upload \(opts.maxUploadBytes >> 20) MiB)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
