import Foundation
import LuxColor
import LuxDatasets
import LuxImage
import LuxIO
import LuxTensor

/// Good photos for the self-supervised histogram training, as sRGB-encoded thumbnails (longest side
/// `side`, box filter in linear light, then the sRGB curve).
///
/// Sources: folders of ordinary photos (each file linearised through its own profile, as `lux enhance`
/// does), and folders of linear 16-bit photos (`fivek-linear`), rendered *well exposed* by
/// ``LuxDatasets/ExposureRendering`` (mean luminance 0.18, sRGB curve, 8-bit). Names in `exclude`
/// (e.g. the 10 files of `fivek-linear/VAL.txt`) are never read.
public struct HistogramTrainingData: Sendable {
    public var photos: [Image]
    public var names: [String]
    /// Photos from index `linearStart` on were rendered from linear files (``loadLinear(_:side:)``).
    public var linearStart: Int
    /// Probability of drawing a training sample from the linear renders (nil: every photo equally likely).
    /// The validation originals are such renders, so this sets how much of the learned prior is "a
    /// well-exposed neutral render" rather than the graded looks of the other folders.
    public var linearShare: Double?

    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "tif", "tiff", "bmp"]

    public init(photos: [Image], names: [String], linearStart: Int? = nil, linearShare: Double? = nil) {
        self.photos = photos; self.names = names; self.linearStart = linearStart ?? photos.count; self.linearShare = linearShare
    }

    /// Image files of `dir` (not recursive), sorted, minus `exclude`.
    public static func files(in dir: String, exclude: Set<String>) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw HistogramError.noData("\(dir): no such folder")
        }
        return try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) && !exclude.contains($0) && !$0.hasPrefix(".") }
            .sorted().map { (dir as NSString).appendingPathComponent($0) }
    }

    /// Loads `photos` folders and `linear` folders (see above) into thumbnails.
    public static func load(photos: [String], linear: [String], exclude: Set<String>, side: Int) throws -> HistogramTrainingData {
        var out = HistogramTrainingData(photos: [], names: [])
        for dir in photos {
            for path in try files(in: dir, exclude: exclude) {
                out.photos.append(try loadPhoto(path, side: side)); out.names.append(path)
            }
        }
        out.linearStart = out.photos.count
        for dir in linear {
            for path in try files(in: dir, exclude: exclude) {
                out.photos.append(try loadLinear(path, side: side)); out.names.append(path)
            }
        }
        guard !out.photos.isEmpty else { throw HistogramError.noData("no training photos found") }
        return out
    }

    /// An ordinary photo: working space, thumbnail, sRGB-encoded.
    public static func loadPhoto(_ path: String, side: Int) throws -> Image {
        let file = try ImageIO.read(path: path)
        let img = try ColorPipeline.toWorking(file.image.rgb(), iccProfile: file.metadata.iccProfile)
        return ColorPipeline.fromWorking(img.thumbnail(maxSide: side), to: .sRGB).clamped()
    }

    /// A linear photo rendered well exposed (``ExposureRendering/render(_:ev:quantize8:)`` of the normalised photo).
    public static func loadLinear(_ path: String, side: Int? = nil) throws -> Image {
        var lin = try LinearPhotos.load(path: path).rgb()
        if let side { lin = lin.thumbnail(maxSide: side) }
        return ExposureRendering.render(ExposureRendering.normalized(lin))
    }

    /// One training pair of histograms: a random crop (40-100 % of each side) of a random photo is the
    /// original; a ``RandomEdit`` of it is the input; both histograms are taken on thumbnails of longest
    /// side `histogramSide` made *after* the edit (as the engine sees a large photo: its noise averaged).
    /// A photo index: uniform over all photos, or over one group chosen with ``linearShare``.
    func photoIndex(rng: inout RNG) -> Int {
        let nLinear = photos.count - linearStart
        guard let share = linearShare, nLinear > 0, linearStart > 0 else { return Int(rng.next() % UInt64(photos.count)) }
        if Double(rng.uniform(0, 1)) < share { return linearStart + Int(rng.next() % UInt64(nLinear)) }
        return Int(rng.next() % UInt64(linearStart))
    }

    public func sample(bins: Int, histogramSide: Int = HistogramEnhancer.defaultSide, rng: inout RNG) -> (input: [Float], target: [Float]) {
        let photo = photos[photoIndex(rng: &rng)]
        let w = Swift.max(8, Int(Float(photo.width) * rng.uniform(0.4, 1))), h = Swift.max(8, Int(Float(photo.height) * rng.uniform(0.4, 1)))
        let cw = Swift.min(w, photo.width), ch = Swift.min(h, photo.height)
        let x = Int(rng.next() % UInt64(photo.width - cw + 1)), y = Int(rng.next() % UInt64(photo.height - ch + 1))
        let crop = (try? photo.cropped(x: x, y: y, width: cw, height: ch)) ?? photo
        let edited = RandomEdit(rng: &rng).apply(crop)
        return (HistogramNet.histogram(edited.thumbnail(maxSide: histogramSide), bins: bins),
                HistogramNet.histogram(crop.thumbnail(maxSide: histogramSide), bins: bins))
    }
}
