import ArgumentParser
import Foundation
import LuxAdjust
import LuxColor
import LuxImage
import LuxIO

/// `lux adjust`: semantics-aware local adjustment (Nam & Kim 2017) with user-replaceable adjustment maps.
public struct AdjustCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Apply a learned local effect (pop-out, xpro, watercolor) guided by semantic adjustment maps.",
        discussion: """
        lux adjust IN --effect pop-out|xpro|watercolor -o OUT [--maps-out MAPS.png] [--map k=MASK.png ...]
        A small context network (run on the photo downscaled to 128 px) paints K soft maps, each selecting one
        retouching preset it discovered in training; a per-pixel bilinear model of colour and context gives every
        full-resolution pixel its new colour.
        --maps-out MAPS.png writes a colour preview of the maps and each map k as a grey image MAPS.k.png (k = 1..K).
        --map k=MASK.png applies preset k where the mask is white (soft masks blend; black pixels keep the
        network's maps, so the output changes only inside the mask). A mask of another size with the photo's
        aspect ratio (within 2 %) is resized to the photo; other sizes are refused. Several --map are applied in order.
        """
    )

    @Argument(help: "Input photo.")
    var input: String
    @Option(name: [.short, .customLong("output")], help: "Output file (jpg, png or tif by extension).")
    var output: String
    @Option(name: [.short, .customLong("effect")], help: "Effect: pop-out, xpro or watercolor.")
    var effect: String
    @Option(name: .customLong("maps-out"), help: "Write the semantic adjustment maps (preview + one grey PNG per map).")
    var mapsOut: String?
    @Option(name: .customLong("map"), help: "Replace where preset k applies: k=MASK (k from 1; repeatable).")
    var maps: [String] = []
    @Option(help: "Model (safetensors from `lux train adjust`); default: the effect's embedded model.")
    var model: String?

    @OptionGroup var write: WriteOptions

    public init() {}

    /// Parses `k=path` (k from 1).
    public static func parseMap(_ text: String) throws -> (preset: Int, path: String) {
        guard let eq = text.firstIndex(of: "="), let k = Int(text[..<eq]), k >= 1, text.index(after: eq) < text.endIndex else {
            throw ValidationError("--map: expected k=MASK with k >= 1, got '\(text)'")
        }
        return (k, String(text[text.index(after: eq)...]))
    }

    var outputFormat: ImageFormat? {
        ImageFormat.forOutput(path: output).flatMap { [.jpeg, .png, .tiff].contains($0) ? $0 : nil }
    }

    public func validate() throws {
        do { _ = try AdjustEffect.parse(effect) } catch { throw ValidationError("\(error)") }
        guard outputFormat != nil else { throw ValidationError("-o: the output must end in .jpg, .png or .tif, got '\(output)'") }
        if let mapsOut, ImageFormat.forOutput(path: mapsOut) != .png { throw ValidationError("--maps-out: the maps file must end in .png") }
        for m in maps { _ = try Self.parseMap(m) }
    }

    /// The files `--maps-out F` writes: F (preview) and F's stem + `.k.png` per map.
    public static func mapPaths(_ mapsOut: String, count: Int) -> [String] {
        let stem = (mapsOut as NSString).deletingPathExtension
        return [mapsOut] + (1...count).map { "\(stem).\($0).png" }
    }

    /// Reads a mask as one value in [0, 1] per pixel of a `width` x `height` photo (mean of the stored
    /// RGB values; alpha ignored), resized when it has the photo's aspect ratio.
    public static func readMask(_ path: String, preset: Int, width: Int, height: Int, maxPixels: Int) throws -> PresetMask {
        var mask = try ImageIO.read(path: path, options: DecodeOptions(maxPixels: maxPixels)).image
        if mask.width != width || mask.height != height {
            let a = Double(mask.width) / Double(mask.height), b = Double(width) / Double(height)
            guard abs(a / b - 1) <= 0.02 else {
                throw CLIError.usage("--map \(preset)=\(path): mask is \(mask.width)x\(mask.height), photo is \(width)x\(height) (different aspect ratio)")
            }
            mask = mask.resized(width: width, height: height, filter: .bilinear)
        }
        let n = width * height, c = min(mask.channels, 3)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var s: Float = 0
            for ch in 0..<c { s += mask.pixels[ch * n + i] }
            values[i] = min(max(s / Float(c), 0), 1)
        }
        return PresetMask(preset: preset - 1, values: values)
    }

    public func run() throws {
        let eff = try AdjustEffect.parse(effect)
        let format = outputFormat!
        let policy = write.policy
        let maskSpecs = try maps.map(Self.parseMap)
        let inputs = [input] + maskSpecs.map(\.path)
        try policy.check(output: output, inputs: inputs)
        let adjuster = try model.map { try PhotoAdjuster(contentsOf: URL(fileURLWithPath: $0)) } ?? PhotoAdjuster.loadDefault(eff)
        let k = adjuster.config.maps
        if let bad = maskSpecs.first(where: { $0.preset > k }) {
            throw CLIError.usage("--map \(bad.preset)=...: this model has presets 1-\(k)")
        }
        let mapFiles = mapsOut.map { Self.mapPaths($0, count: k) } ?? []
        for f in mapFiles { try policy.check(output: f, inputs: inputs) }
        if Set(([output] + mapFiles).map(OutputPolicy.resolvedPath)).count != 1 + mapFiles.count {
            throw CLIError.duplicateOutput(path: output)
        }
        let source = try EnhancePipeline.load(input, maxPixels: write.maxPixels)
        let w = source.working.width, h = source.working.height
        let masks = try maskSpecs.map { try Self.readMask($0.path, preset: $0.preset, width: w, height: h, maxPixels: write.maxPixels) }
        let result = try adjuster.adjust(source.working, masks: masks)
        var image = result.image
        try write.policy.prepareFolder((output as NSString).deletingLastPathComponent)
        try EnhancePipeline.write(&image, source: source.metadata, to: output, format: format, quality: write.quality)
        print(output)
        if !mapFiles.isEmpty {
            try write.policy.prepareFolder((mapFiles[0] as NSString).deletingLastPathComponent)
            let meta = ImageMetadata(format: .png, bitDepth: 8, iccProfile: ColorPipeline.iccProfile(for: .sRGB))
            let images = [PhotoAdjuster.preview(maps: result.maps, count: k, width: w, height: h)]
                + (0..<k).map { PhotoAdjuster.mapImage(maps: result.maps, index: $0, width: w, height: h) }
            for (file, img) in zip(mapFiles, images) {
                try ImageIO.write(ImageFile(image: img, metadata: meta), to: file, format: .png)
                print(file)
            }
        }
    }
}
