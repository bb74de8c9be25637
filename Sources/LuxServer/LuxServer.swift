import Foundation
import Hummingbird
import LuxAdjust
import LuxCLI
import LuxCorrect
import LuxFilters
import LuxHDR
import NIOCore

/// `lux serve`: the engines behind a JSON API and the web page. One instance keeps no state but
/// its bounded temp area, so any number can run behind a load balancer.
///
/// Endpoints (engine endpoints take the image as the raw body, or a multipart form with fields
/// `image`, `reference` and `recipe`; options are query parameters):
/// - `POST /v1/enhance?engine=agent|histogram&seed=N`, `/v1/correct?scales=a,b,c,d&fusion=1&hist-adjust=1&max-side=N`,
///   `/v1/reexpose?ev=+1.5&tonemap=reinhard|filmic`, `/v1/transfer?method=pitie|reinhard&iterations=N&regrain=1&seed=N`
///   (form with `image` and `reference`), `/v1/apply?recipe=JSON&set=exposure=+0.5` (or a `recipe` form field),
///   `/v1/adjust?effect=pop-out|xpro|watercolor`, `/v1/preview?max-side=N`; all take `format=jpeg|png|tiff&quality=N&response=json|image&include=recipe,xmp,cube,steps`.
/// - `GET /v1/health`, `GET /v1/filters` (the white-box filters and their ranges), `GET /metrics`, `GET /` (the page).
public struct LuxServer: Sendable {
    public let options: ServerOptions
    public let engines: Engines
    public let queue: WorkQueue
    public let temp: TempArea
    public let metrics = ServerMetrics()
    let site: StaticSite

    public init(options: ServerOptions, engines: Engines) throws {
        self.options = options
        self.engines = engines
        queue = WorkQueue(workers: options.workers, queueLength: options.queueLength)
        temp = try TempArea(parent: options.tempParent, limitBytes: options.tempLimitBytes)
        site = try StaticSite.load()
    }

    /// Serves until SIGINT/SIGTERM (or until the task is cancelled); `onRunning` gets the bound port.
    /// The temp area is removed on the way out.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        defer { temp.remove() }
        // A connection that sends nothing for a while (a stalled upload) is closed; longer than any
        // job may run, so a client waiting for its answer is never cut off.
        let idle = TimeAmount.seconds(Int64(options.timeoutSeconds.rounded(.up)) + 30)
        let app = Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: idle)),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "lux"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }
        )
        try await app.runService()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(JSONErrorMiddleware(metrics: metrics))
        router.get("/") { _, _ in site.response("index.html") }
        router.get("/ui/:file") { _, context in site.response(context.parameters.get("file") ?? "") }
        router.get("/v1/health", use: endpoint("/v1/health") { _ in try await health() })
        router.get("/v1/filters", use: endpoint("/v1/filters") { _ in try Self.json(FilterCatalog.all) })
        router.get("/metrics", use: endpoint("/metrics") { _ in await scrape() })
        router.post("/v1/enhance", use: endpoint("/v1/enhance") { try await enhance($0) })
        router.post("/v1/apply", use: endpoint("/v1/apply") { try await apply($0) })
        router.post("/v1/correct", use: endpoint("/v1/correct") { try await correct($0) })
        router.post("/v1/reexpose", use: endpoint("/v1/reexpose") { try await reexpose($0) })
        router.post("/v1/adjust", use: endpoint("/v1/adjust") { try await adjust($0) })
        router.post("/v1/transfer", use: endpoint("/v1/transfer") { try await transfer($0) })
        router.post("/v1/preview", use: endpoint("/v1/preview") { try await preview($0) })
        return router
    }

    /// Wraps a handler: any error becomes its JSON answer, and every answer is counted and timed.
    func endpoint(_ route: String, _ body: @escaping @Sendable (Request) async throws -> Response)
        -> @Sendable (Request, BasicRequestContext) async throws -> Response {
        { [metrics] request, _ in
            let start = EnhancePipeline.now()
            let response: Response
            do { response = try await body(request) } catch { response = Self.errorResponse(APIError.from(error)) }
            metrics.record(route: route, status: Int(response.status.code), seconds: EnhancePipeline.now() - start)
            return response
        }
    }

    // MARK: engine endpoints

    func enhance(_ request: Request) async throws -> Response {
        let q = QueryOptions(parameters: request.uri.queryParameters)
        let engine = try q.choice("engine", EnhanceEngine.self) ?? .agent
        let seed = try q.int("seed", 0...Int(Int32.max)).map { UInt64($0) }
        let enhancer = engine == .agent ? engines.agent : engines.histogram
        return try await runJob(request, q) { [options] upload in
            let path = try upload.file("image")
            return { try Operations.enhance(path, enhancer: enhancer, seed: seed, keepRecipe: engine == .agent, maxPixels: options.maxPixels) }
        }
    }

    func apply(_ request: Request) async throws -> Response {
        let q = QueryOptions(parameters: request.uri.queryParameters)
        let settings = request.uri.queryParameters.getAll("set")
        return try await runJob(request, q) { [options] upload in
            let path = try upload.file("image")
            guard let json = upload.fields["recipe"] ?? q.string("recipe") ?? (settings.isEmpty ? nil : "{\"steps\":[]}") else {
                throw APIError.badRequest("apply needs a recipe: a 'recipe' JSON (query or form field) and/or set=filter=value")
            }
            var recipe = try Recipe.fromJSON(Data(json.utf8))
            for s in settings { try recipe.set(s) }
            let enhancer = Enhancer(fixed: recipe)
            return { try Operations.enhance(path, enhancer: enhancer, seed: nil, keepRecipe: true, maxPixels: options.maxPixels) }
        }
    }

    func correct(_ request: Request) async throws -> Response {
        let q = QueryOptions(parameters: request.uri.queryParameters)
        var opts = CorrectOptions()
        if let s = q.string("scales") {
            let scales = try CorrectCommand.parseScales(s)
            guard scales.count == 4 else { throw APIError.badRequest("scales needs 4 values (finest pyramid level first), got \(scales.count)") }
            opts.scales = scales
        }
        opts.fusion = try q.bool("fusion")
        opts.histogramAdjust = try q.bool("hist-adjust")
        opts.maxSide = try q.int("max-side", 32...2048) ?? 512
        let settings = opts
        return try await runJob(request, q) { [engines, options] upload in
            let path = try upload.file("image")
            return { try Operations.correct(path, corrector: engines.corrector, options: settings, maxPixels: options.maxPixels) }
        }
    }

    func reexpose(_ request: Request) async throws -> Response {
        let q = QueryOptions(parameters: request.uri.queryParameters)
        guard let ev = try q.float("ev", -16...16) else { throw APIError.badRequest("ev is required: stops in -16...16, e.g. ev=1.5") }
        let tonemap = try q.choice("tonemap", ToneMap.self)
        return try await runJob(request, q) { [engines, options] upload in
            let path = try upload.file("image")
            return { try Operations.reexpose(path, model: engines.hdr, ev: ev, tonemap: tonemap, maxPixels: options.maxPixels) }
        }
    }

    func adjust(_ request: Request) async throws -> Response {
        let q = QueryOptions(parameters: request.uri.queryParameters)
        guard let effect = try q.choice("effect", AdjustEffect.self) else {
            throw APIError.badRequest("effect is required: one of \(AdjustEffect.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try await runJob(request, q) { [engines, options] upload in
            let path = try upload.file("image")
            return { try Operations.adjust(path, adjuster: engines.adjusters[effect]!, maxPixels: options.maxPixels) }
        }
    }

    func transfer(_ request: Request) async throws -> Response {
        let q = QueryOptions(parameters: request.uri.queryParameters)
        let method = try q.choice("method", TransferCommand.Method.self) ?? .pitie
        let iterations = try q.int("iterations", 1...100) ?? 10
        let regrain = try q.bool("regrain")
        if regrain && method == .reinhard { throw APIError.badRequest("regrain goes with method=pitie") }
        let seed = UInt64(try q.int("seed", 0...Int(Int32.max)) ?? 0)
        return try await runJob(request, q) { [options] upload in
            let path = try upload.file("image"), reference = try upload.file("reference")
            return {
                try Operations.transfer(path, reference: reference, method: method, iterations: iterations, regrain: regrain,
                                        seed: seed, maxPixels: options.maxPixels)
            }
        }
    }

    func preview(_ request: Request) async throws -> Response {
        let q = QueryOptions(parameters: request.uri.queryParameters)
        let side = try q.int("max-side", 16...options.previewMaxSide) ?? options.previewMaxSide
        return try await runJob(request, q) { [options] upload in
            let path = try upload.file("image")
            return { try Operations.preview(path, maxSide: side, maxPixels: options.maxPixels) }
        }
    }

    /// The shared life of an engine request: options checked, a queue place taken (429 when full),
    /// the upload streamed to the temp area (413 past the limit, 408 past the time limit), the job run
    /// on a worker within the time limit (504; waiting for the worker included), the result encoded, the request's files deleted.
    func runJob(_ request: Request, _ q: QueryOptions,
                _ prepare: @escaping @Sendable (Upload) throws -> @Sendable () throws -> JobOutput) async throws -> Response {
        let output = try q.output()
        guard await queue.admit() else { throw APIError.queueFull }
        let files = RequestFiles(area: temp)
        var names: [String: String] = [:]
        var started = false
        do {
            let upload = try await Upload.receive(request, limit: options.maxUploadBytes, seconds: options.timeoutSeconds, files: files)
            names = upload.names
            let job = try prepare(upload)
            started = true
            let (data, payload) = try await queue.run(timeout: options.timeoutSeconds, cleanup: { files.discard() }) {
                try ResultEncoding.encode(try job(), as: output, files: files)
            }
            return try Self.resultResponse(data, payload, output)
        } catch {
            if !started {
                await queue.withdraw()
                files.discard()
            }
            throw APIError.from(error, uploads: names)
        }
    }

    // MARK: responses

    static func resultResponse(_ image: Data, _ payload: ResultPayload, _ output: OutputRequest) throws -> Response {
        guard output.mode == .image else { return try json(payload) }
        var headers: HTTPFields = [.contentType: payload.mime,
                                   .contentDisposition: "attachment; filename=\"lux.\(output.format.fileExtension)\""]
        if let recipe = payload.recipe, let data = try? JSONEncoder().encode(recipe) {
            headers[HTTPFields.Element.Name("X-Lux-Recipe")!] = String(decoding: data, as: UTF8.self)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: image)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func errorResponse(_ e: APIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let r = e.retryAfter { headers[.retryAfter] = String(r) }
        return Response(status: HTTPResponse.Status(code: e.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: e.json)))
    }

    func health() async throws -> Response {
        struct Health: Encodable { var status = "ok"; var workers: Int; var queueLength: Int; var inFlight: Int; var waiting: Int; var maxUploadBytes: Int }
        return try Self.json(Health(workers: queue.workers, queueLength: queue.capacity - queue.workers, inFlight: await queue.inFlight,
                                    waiting: await queue.waiting, maxUploadBytes: options.maxUploadBytes))
    }

    func scrape() async -> Response {
        let text = metrics.render(gauges: [
            ("lux_queue_waiting", "Admitted requests waiting for a worker.", Double(await queue.waiting)),
            ("lux_jobs_in_flight", "Jobs running on workers.", Double(await queue.inFlight)),
            ("lux_workers", "Configured workers (--workers).", Double(queue.workers)),
            ("lux_queue_capacity", "Requests admitted at most (workers + waiting places).", Double(queue.capacity)),
            ("lux_temp_bytes", "Bytes reserved in the temp area.", Double(temp.usedBytes)),
            ("lux_process_resident_bytes", "Resident memory of the server process.", ServerMetrics.residentBytes()),
        ])
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Turns Hummingbird's own errors (404 for unknown paths, 405) into the same JSON answers.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as HTTPError {
            metrics.record(route: "other", status: Int(e.status.code), seconds: 0)
            return LuxServer.errorResponse(APIError(Int(e.status.code), e.body ?? e.status.reasonPhrase))
        }
    }
}

/// `GET /v1/filters`: each white-box filter with its parameters (the page's sliders).
struct FilterCatalog: Encodable {
    struct Param: Encodable { var name: String; var min: Double; var max: Double; var identity: Double; var summary: String }
    var id: String
    var parameters: [Param]

    static var all: [FilterCatalog] {
        FilterRegistry.all.map { f in
            FilterCatalog(id: f.id, parameters: f.parameters.map {
                Param(name: $0.name, min: $0.range.lowerBound, max: $0.range.upperBound, identity: $0.identity, summary: $0.summary)
            })
        }
    }
}
