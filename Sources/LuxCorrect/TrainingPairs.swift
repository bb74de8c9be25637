import Foundation
import LuxImage
import LuxIO
import LuxDatasets
import LuxTensor

/// Training data of `lux train correct`: linear photos (`fivek-linear`), each normalised once to mean
/// luminance 0.18 (``LuxDatasets/ExposureRendering``), from which every sample renders a random crop
/// at one of the paper's exposure errors (−1.5, −1, 0, +1, +1.5 EV) through the camera-like tone curve
/// with clipping and 8-bit quantisation (input), and the same crop at 0 EV through the sRGB curve
/// (target). Rendering happens on the crop, after the scaling, so over-exposure clips real highlights.
public struct TrainingPairs: Sendable {
    /// Normalised linear photos (working space).
    public let photos: [Image]
    /// Exposure errors drawn uniformly per sample.
    public var evs: [Float] = [-1.5, -1, 0, 1, 1.5]
    /// Tone curve of the inputs.
    public var inputCurve: ExposureRendering.ToneCurve = .camera

    public init(photos: [Image]) { self.photos = photos.map { ExposureRendering.normalized($0) } }

    /// Loads the linear PNGs of `folder`, minus the names listed in `excludeList` (e.g. VAL.txt).
    public static func load(folder: String, excludeList: String?) throws -> TrainingPairs {
        let exclude = Set(try excludeList.map { try Splits.readList(path: $0) } ?? [])
        let files = try LinearPhotos.files(in: folder).filter { !exclude.contains(($0 as NSString).lastPathComponent) }
        guard !files.isEmpty else { throw CorrectError.noData("\(folder): no training photos") }
        return TrainingPairs(photos: try files.map { try LinearPhotos.load(path: $0).rgb() })
    }

    /// A batch of `count` random (input, target) crops of `height` x `width` (sRGB-encoded), with a
    /// random horizontal flip shared by input and target. Photos too small for the crop are
    /// transposed (portrait crops of landscape photos and the reverse) or, failing that, skipped.
    public func batch(_ count: Int, height: Int, width: Int, rng: inout RNG) -> (inputs: [Image], targets: [Image]) {
        var ins: [Image] = [], tgs: [Image] = []
        var tries = 0
        while ins.count < count && tries < 1000 {
            tries += 1
            var photo = photos[Int(rng.next() % UInt64(photos.count))]
            if photo.width < width || photo.height < height { photo = Self.transposed(photo) }
            guard photo.width >= width, photo.height >= height else { continue }
            let x = Int(rng.next() % UInt64(photo.width - width + 1)), y = Int(rng.next() % UInt64(photo.height - height + 1))
            var crop = try! photo.cropped(x: x, y: y, width: width, height: height)
            if rng.next() & 1 == 1 { crop = Self.flipped(crop) }
            let ev = evs[Int(rng.next() % UInt64(evs.count))]
            ins.append(ExposureRendering.render(crop, ev: ev, curve: inputCurve))
            tgs.append(ExposureRendering.render(crop, ev: 0))
        }
        precondition(ins.count == count, "no photo is large enough for \(width)x\(height) crops")
        return (ins, tgs)
    }

    static func transposed(_ im: Image) -> Image {
        var out = Image(width: im.height, height: im.width, channels: im.channels, colorSpace: im.colorSpace)
        for c in 0..<im.channels {
            let o = c * im.planeCount
            for y in 0..<im.height { for x in 0..<im.width { out.pixels[o + x * im.height + y] = im.pixels[o + y * im.width + x] } }
        }
        return out
    }

    static func flipped(_ im: Image) -> Image {
        var out = im
        for c in 0..<im.channels {
            let o = c * im.planeCount
            for y in 0..<im.height { for x in 0..<im.width { out.pixels[o + y * im.width + x] = im.pixels[o + y * im.width + im.width - 1 - x] } }
        }
        return out
    }
}
