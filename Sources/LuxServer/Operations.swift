import Foundation
import LuxAdjust
import LuxCLI
import LuxCorrect
import LuxFilters
import LuxHDR
import LuxImage
import LuxIO

/// What an engine made of one upload, before encoding: the image (working space, or sRGB-encoded when
/// its `colorSpace` says so), the source's metadata (EXIF is carried over), and what the engine explains.
struct JobOutput: Sendable {
    var image: Image
    var metadata: ImageMetadata
    /// The white-box recipe (agent and apply); nil for engines that make none.
    var recipe: Recipe?
    /// Working-space thumbnails: the input, then the photo after each step.
    var thumbnails: [Image] = []
    /// Engine-specific numbers (re-exposure gain, clipped fraction).
    var info: [String: Double] = [:]
    var timings: EnhancePipeline.Timings
}

/// The per-endpoint work, each the CLI's own pipeline on a temp file (see LuxCLI: EnhancePipeline,
/// CorrectCommand.process, HDRPipeline, TransferCommand.transferWorking). Synchronous; run by ``WorkQueue``.
enum Operations {
    /// `POST /v1/enhance` and `/v1/apply`: load as `lux enhance` does, run `enhancer`.
    static func enhance(_ path: String, enhancer: Enhancer, seed: UInt64?, keepRecipe: Bool, maxPixels: Int) throws -> JobOutput {
        let src = try EnhancePipeline.load(path, maxPixels: maxPixels)
        var t = src.timings
        let start = EnhancePipeline.now()
        let r = enhancer.enhance(src.working, seed)
        t.enhance = EnhancePipeline.now() - start
        return JobOutput(image: r.image, metadata: src.metadata, recipe: keepRecipe ? r.recipe : nil, thumbnails: r.thumbnails, timings: t)
    }

    /// `POST /v1/correct`: `lux correct`'s per-photo path.
    static func correct(_ path: String, corrector: ExposureCorrector, options: CorrectOptions, maxPixels: Int) throws -> JobOutput {
        let (image, t, meta) = try CorrectCommand.process(path, corrector: corrector, options: options, maxPixels: maxPixels)
        return JobOutput(image: image, metadata: meta, timings: t)
    }

    /// `POST /v1/reexpose`: `lux reexpose` at one EV (camera response of the file, or a tone map).
    static func reexpose(_ path: String, model: HDRModel, ev: Float, tonemap: ToneMap?, maxPixels: Int) throws -> JobOutput {
        let start = EnhancePipeline.now()
        let src = try HDRPipeline.load(path, crf: nil, maxPixels: maxPixels)
        var t = EnhancePipeline.Timings()
        t.decode = EnhancePipeline.now() - start
        let mid = EnhancePipeline.now()
        let map = model.reconstruct(linear: src.linear, crf: src.crf)
        let image = HDRPipeline.render(map, ev: ev, crf: src.crf, format: .jpeg, tonemap: tonemap)
        t.enhance = EnhancePipeline.now() - mid
        let clipped = Double(map.mask.filter { $0 > 0 }.count) / Double(max(1, map.mask.count))
        return JobOutput(image: image, metadata: src.metadata, info: ["gain": Double(map.gain), "clippedFraction": clipped], timings: t)
    }

    /// `POST /v1/adjust`: `lux adjust`'s local effect with the network's own maps.
    static func adjust(_ path: String, adjuster: PhotoAdjuster, maxPixels: Int) throws -> JobOutput {
        let src = try EnhancePipeline.load(path, maxPixels: maxPixels)
        var t = src.timings
        let start = EnhancePipeline.now()
        let out = try adjuster.adjust(src.working)
        t.enhance = EnhancePipeline.now() - start
        return JobOutput(image: out.image, metadata: src.metadata, info: ["maps": Double(out.mapCount)], timings: t)
    }

    /// `POST /v1/transfer`: `lux transfer` of `path` graded like `reference`.
    static func transfer(_ path: String, reference: String, method: TransferCommand.Method, iterations: Int, regrain: Bool,
                         seed: UInt64, maxPixels: Int) throws -> JobOutput {
        let src = try EnhancePipeline.load(path, maxPixels: maxPixels)
        let ref = try EnhancePipeline.load(reference, maxPixels: maxPixels)
        var t = src.timings
        let start = EnhancePipeline.now()
        let out = TransferCommand.transferWorking(src.working, reference: ref.working, method: method, iterations: iterations,
                                                  regrain: regrain, seed: seed)
        t.enhance = EnhancePipeline.now() - start
        return JobOutput(image: out, metadata: src.metadata, timings: t)
    }

    /// `POST /v1/preview`: the photo decoded as `lux enhance` does, at most `maxSide` px (what the page edits live).
    static func preview(_ path: String, maxSide: Int, maxPixels: Int) throws -> JobOutput {
        let src = try EnhancePipeline.load(path, maxPixels: maxPixels)
        return JobOutput(image: src.working.thumbnail(maxSide: maxSide), metadata: src.metadata, timings: src.timings)
    }
}
