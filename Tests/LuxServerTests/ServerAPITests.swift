import Foundation
import LuxFilters
import LuxImage
import LuxServer
import Testing

/// `lux serve` over real loopback HTTP: every endpoint with real photos, and the error answers.
/// Serialized: the engine jobs are CPU-heavy, and the queue tests count on an idle machine share.
@Suite(.serialized) struct ServerAPITests {
    @Test func healthFiltersMetricsAndPage() async throws {
        try await TestServer.serving { s in
            let health = try await s.request("GET", "/v1/health")
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["workers"] as? Int == 2)

            let filters = try await s.request("GET", "/v1/filters")
            let list = try #require(try JSONSerialization.jsonObject(with: filters.body) as? [[String: Any]])
            #expect(list.map { $0["id"] as? String } == FilterRegistry.all.map { $0.id })

            let page = try await s.request("GET", "/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("<title>Lux</title>") && page.text.contains("/ui/app.js"))
            let js = try await s.request("GET", "/ui/app.js")
            #expect(js.status == 200 && js.text.contains("/v1/apply"))
            #expect(try await s.request("GET", "/ui/secret.txt").status == 404)

            let missing = try await s.request("GET", "/v1/nothing")
            #expect(missing.status == 404)
            #expect(!missing.error.isEmpty)

            let metrics = try await s.request("GET", "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains("lux_http_requests_total{route=\"/v1/health\",status=\"200\"} 1"))
            #expect(metrics.text.contains("# TYPE lux_http_request_duration_seconds histogram"))
            #expect(metrics.text.contains("lux_queue_waiting 0"))
            #expect(metrics.text.contains("lux_jobs_in_flight 0"))
        }
    }

    @Test func enhanceReturnsImageRecipeXMPCubeAndSteps() async throws {
        try await TestServer.serving { s in
            let r = try await s.post("/v1/enhance?include=recipe,xmp,cube,steps", Fixtures.jpeg)
            #expect(r.status == 200, "\(r.text.prefix(300))")
            #expect(r.json["width"] as? Int == 768 && r.json["height"] as? Int == 512)
            let image = try Fixtures.decode(try #require(Data(base64Encoded: r.json["image"] as? String ?? "")))
            #expect(image.width == 768 && image.height == 512)
            let recipeJSON = try JSONSerialization.data(withJSONObject: try #require(r.json["recipe"]))
            let recipe = try Recipe.fromJSON(recipeJSON)
            #expect(!recipe.steps.isEmpty)
            #expect((r.json["xmp"] as? String)?.contains("x:xmpmeta") == true)
            #expect((r.json["cube"] as? String)?.contains("LUT_3D_SIZE 33") == true)
            let steps = try #require(r.json["steps"] as? [[String: Any]])
            #expect(steps.count == recipe.steps.count + 1)
            #expect(steps.first?["label"] as? String == "input")
            let thumb = try Fixtures.decode(try #require(Data(base64Encoded: steps[0]["png"] as? String ?? "")))
            #expect(max(thumb.width, thumb.height) == 64)

            // The histogram engine makes no recipe; the default answer carries no XMP or cube.
            let h = try await s.post("/v1/enhance?engine=histogram&format=png", Fixtures.small256)
            #expect(h.status == 200)
            #expect(h.json["recipe"] == nil && h.json["xmp"] == nil)
            #expect(h.json["mime"] as? String == "image/png")
        }
    }

    @Test func applyRendersTheRecipe() async throws {
        try await TestServer.serving { s in
            let brighter = try await s.post("/v1/apply?set=exposure=%2B1&response=image&format=png", Fixtures.png)
            #expect(brighter.status == 200)
            #expect(brighter.headers["content-type"] == "image/png")
            #expect(brighter.headers["x-lux-recipe"]?.contains("exposure") == true)
            let darker = try await s.postForm("/v1/apply?response=image&format=png", files: [("image", Fixtures.png)],
                                              fields: [("recipe", #"{"version":1,"steps":[{"filter":"exposure","params":{"ev":-1}}]}"#)])
            #expect(darker.status == 200)
            let (b, d) = (try Fixtures.decode(brighter.body), try Fixtures.decode(darker.body))
            #expect(b.width == 768 && d.height == 512)
            #expect(Fixtures.mean(b) > Fixtures.mean(d) + 0.1)

            let noRecipe = try await s.post("/v1/apply", Fixtures.png)
            #expect(noRecipe.status == 400 && noRecipe.error.contains("recipe"))
            let badRecipe = try await s.post("/v1/apply?set=exposure=%2B99", Fixtures.png)
            #expect(badRecipe.status == 400 && badRecipe.error.contains("outside"))
            let badJSON = try await s.post("/v1/apply?recipe=%7Bnope", Fixtures.png)
            #expect(badJSON.status == 400 && badJSON.error.hasPrefix("recipe:"))
        }
    }

    @Test func correctReexposeAdjustAndTransfer() async throws {
        try await TestServer.serving { s in
            let c = try await s.post("/v1/correct?scales=1.5,1.5,1.5,1.05&fusion=1&hist-adjust=1", Fixtures.small384)
            #expect(c.status == 200, "\(c.text.prefix(300))")
            #expect(c.json["width"] as? Int == 384 && c.json["height"] as? Int == 256)
            let badScales = try await s.post("/v1/correct?scales=1,2", Fixtures.jpeg)
            #expect(badScales.status == 400 && badScales.error.contains("4 values"))

            let up = try await s.post("/v1/reexpose?ev=%2B1.5&response=image&format=png", Fixtures.small256)
            let down = try await s.post("/v1/reexpose?ev=-1.5&response=image&format=png", Fixtures.small256)
            #expect(up.status == 200 && down.status == 200)
            #expect(Fixtures.mean(try Fixtures.decode(up.body)) > Fixtures.mean(try Fixtures.decode(down.body)) + 0.1)
            let info = try await s.post("/v1/reexpose?ev=1&tonemap=filmic", Fixtures.small256)
            #expect((info.json["info"] as? [String: Any])?["gain"] != nil)
            #expect(try await s.post("/v1/reexpose", Fixtures.jpeg).status == 400)  // ev is required

            let t = try await s.postForm("/v1/transfer?method=reinhard&response=image", files: [("image", Fixtures.small384), ("reference", Fixtures.small256)])
            #expect(t.status == 200)
            #expect(try Fixtures.decode(t.body).width == 384)
            let noRef = try await s.postForm("/v1/transfer", files: [("image", Fixtures.jpeg)])
            #expect(noRef.status == 400 && noRef.error.contains("reference"))
            let badMethod = try await s.post("/v1/transfer?method=magic", Fixtures.jpeg)
            #expect(badMethod.status == 400 && badMethod.error.contains("pitie"))

            let adjusted = try await s.post("/v1/adjust?effect=xpro&response=image&format=png", Fixtures.small256)
            #expect(adjusted.status == 200, "\(adjusted.text.prefix(300))")
            let out = try Fixtures.decode(adjusted.body), input = try Fixtures.decode(Fixtures.small256)
            #expect(out.width == input.width && out.height == input.height)
            let change = zip(out.pixels, input.pixels).map { abs($0 - $1) }.reduce(0, +) / Float(out.pixels.count)
            #expect(change > 0.01, "xpro changes the photo's colours (mean |Δ| \(change))")
            let noEffect = try await s.post("/v1/adjust", Fixtures.jpeg)
            #expect(noEffect.status == 400 && noEffect.error.contains("pop-out"))
            #expect(try await s.post("/v1/adjust?effect=sepia", Fixtures.jpeg).status == 400)

            let p = try await s.post("/v1/preview?max-side=200&response=image", Fixtures.jpeg)
            let preview = try Fixtures.decode(p.body)
            #expect(preview.width == 200 && preview.height == 133)
        }
    }

    @Test func badUploadsGetClear4xxAnswers() async throws {
        try await TestServer.serving({ $0.maxUploadBytes = 200_000 }) { s in
            let text = try await s.post("/v1/enhance", Data("this is not an image".utf8))
            #expect(text.status == 400)
            #expect(text.error == "upload 'image': unsupported format (content is not JPEG, PNG, TIFF, camera RAW, Radiance HDR or OpenEXR)")
            let truncated = try await s.post("/v1/enhance", Fixtures.jpeg.prefix(4000))
            #expect(truncated.status == 400 && truncated.error.contains("truncated"))
            let empty = try await s.request("POST", "/v1/correct")
            #expect(empty.status == 400 && empty.error.contains("empty"))
            let bomb = try await s.post("/v1/enhance", Fixtures.bomb)
            #expect(bomb.status == 422 && bomb.error.contains("100000x100000"))
            let big = try await s.post("/v1/enhance", Fixtures.png)  // ~600 KB > 200 KB
            #expect(big.status == 413 && big.error.contains("200000 bytes"))
            let badFormat = try await s.post("/v1/enhance?format=gif", Fixtures.jpeg)
            #expect(badFormat.status == 400 && badFormat.error.contains("format"))
            #expect(text.headers["content-type"] == "application/json")
            // The server is still up, nothing is left in the temp area, and the answers were counted.
            #expect(try await s.request("GET", "/v1/health").status == 200)
            #expect(try FileManager.default.contentsOfDirectory(atPath: s.server.temp.folder).isEmpty)
            #expect(s.server.temp.usedBytes == 0)
            #expect(s.server.metrics.count(route: "/v1/enhance", status: 413) == 1)
            #expect(s.server.metrics.count(route: "/v1/enhance", status: 422) == 1)
        }
    }

    @Test func fullQueueAnswers429WithRetryAfter() async throws {
        try await TestServer.serving({ $0.workers = 1; $0.queueLength = 1 }) { s in
            let replies = try await withThrowingTaskGroup(of: TestServer.Reply.self) { group in
                for _ in 0..<8 { group.addTask { try await s.post("/v1/enhance?engine=histogram", Fixtures.small384) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let ok = replies.filter { $0.status == 200 }, busy = replies.filter { $0.status == 429 }
            #expect(ok.count + busy.count == 8)
            #expect(ok.count >= 1 && ok.count <= 2 + 1)  // one running, one waiting (a third only if the first ended early)
            #expect(busy.count >= 5)
            #expect(busy.allSatisfy { $0.headers["retry-after"] == "1" && $0.error.contains("queue is full") })
            #expect(s.server.metrics.count(route: "/v1/enhance", status: 429) == busy.count)
            // After the burst the queue is empty again and takes new work.
            #expect(await s.server.queue.waiting == 0)
            #expect(try await s.post("/v1/preview?max-side=64", Fixtures.jpeg).status == 200)
        }
    }

    @Test func timeLimitAnswers504() async throws {
        try await TestServer.serving({ $0.timeoutSeconds = 0.05 }) { s in
            let r = try await s.post("/v1/enhance?engine=histogram", Fixtures.small384)
            #expect(r.status == 504)
            #expect(r.error.contains("time limit"))
            // The job that overran still releases its worker and its files.
            for _ in 0..<100 where await s.server.queue.inFlight > 0 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(await s.server.queue.inFlight == 0)
            #expect(s.server.temp.usedBytes == 0)
        }
    }

    @Test func slowUploadAnswers408() async throws {
        try await TestServer.serving({ $0.timeoutSeconds = 0.5 }) { s in
            let photo = Fixtures.small256
            let half = photo.count / 2
            let status = try await offPool { try s.trickle("/v1/enhance", parts: [photo.prefix(half), photo.suffix(from: half)], pause: 1.0) }
            #expect(status == "HTTP/1.1 408 Request Timeout")
            #expect(s.server.temp.usedBytes == 0)
            let (waiting, running) = (await s.server.queue.waiting, await s.server.queue.inFlight)
            #expect(waiting == 0 && running == 0)
        }
    }
}
