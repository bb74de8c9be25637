import ArgumentParser
import Foundation
import LuxColor
import LuxFilters
import LuxImage
import LuxIO

/// `lux apply`: render an edit recipe onto an image, and/or export it as XMP or .cube.
public struct ApplyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply an edit recipe (JSON, XMP or --set) to an image; export it as an XMP sidecar or .cube LUT.",
        discussion: "Filters and parameters: " + FilterRegistry.all.map { f in
            "\(f.id)(" + f.parameters.map { "\($0.name) \($0.range.lowerBound)...\($0.range.upperBound)" }.joined(separator: ", ") + ")"
        }.joined(separator: "; ")
    )

    @Option(name: .long, help: "Recipe JSON file.")
    var recipe: String?
    @Option(name: .customLong("from-xmp"), help: "Read the recipe from a Camera Raw XMP sidecar.")
    var fromXMP: String?
    @Option(name: .customLong("set"), help: "filter=value or filter.param=value (repeatable), e.g. exposure=+0.7.")
    var settings: [String] = []
    @Option(name: .long, help: "Write the recipe as a Camera Raw XMP sidecar to this file.")
    var xmp: String?
    @Option(name: .long, help: "Write the recipe as a .cube 3-D LUT (sRGB in/out) to this file.")
    var cube: String?
    @Option(name: .customLong("cube-size"), help: "LUT size (33 or 65).")
    var cubeSize: Int = 33
    @Flag(name: .long, help: "Overwrite existing output files.")
    var force = false
    @Flag(name: .customLong("list-filters"), help: "Print every filter parameter (range, identity, meaning) and exit.")
    var listFilters = false
    @Argument(help: "Input image.") var input: String?
    @Argument(help: "Output image (format from the extension).") var output: String?

    public init() {}

    public func validate() throws {
        if (input == nil) != (output == nil) { throw ValidationError("give both IN and OUT, or neither (export only)") }
        if listFilters { return }
        if input == nil && xmp == nil && cube == nil { throw ValidationError("nothing to do: give IN OUT, --xmp or --cube") }
        if cubeSize < 2 || cubeSize > 256 { throw ValidationError("--cube-size must be in 2...256") }
    }

    func checkWritable(_ path: String) throws {
        if !force && FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(path) exists (use --force to overwrite)")
        }
    }

    func buildRecipe() throws -> Recipe {
        var r = Recipe()
        if let path = recipe { r = try Recipe.fromJSON(try Data(contentsOf: URL(fileURLWithPath: path))) }
        if let path = fromXMP {
            let (x, warnings) = try XMPImport.recipe(fromXMP: try String(contentsOfFile: path, encoding: .utf8))
            for w in warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
            r.steps += x.steps
        }
        for s in settings { try r.set(s) }
        return r
    }

    public func run() throws {
        if listFilters { print(FilterRegistry.reference, terminator: ""); return }
        let r = try buildRecipe()
        FileHandle.standardError.write(Data("recipe: \(r.description)\n".utf8))
        if let path = xmp {
            try checkWritable(path)
            let out = XMPExport.export(r)
            for w in out.warnings { FileHandle.standardError.write(Data("xmp: not mapped: \(w)\n".utf8)) }
            try ImageIO.writeAtomically(Data(out.xml.utf8), to: path)
        }
        if let path = cube {
            try checkWritable(path)
            try ImageIO.writeAtomically(Data(CubeExport.cube(r, size: cubeSize).utf8), to: path)
        }
        guard let input, let output else { return }
        try checkWritable(output)
        guard let format = ImageFormat.forOutput(path: output) else {
            throw ValidationError("cannot tell the output format from '\(output)'")
        }
        let file = try ImageIO.read(path: input)
        let space = file.image.colorSpace
        let working = try ColorPipeline.toWorking(file.image, iccProfile: file.metadata.iccProfile)
        let rendered = Renderer(r).render(working)
        var encoded = ColorPipeline.fromWorking(rendered, to: space)
        encoded.colorSpace = space
        let depth = (format == .png || format == .tiff) && file.metadata.bitDepth > 8 ? 16 : 8
        let meta = ImageMetadata(format: format, bitDepth: depth, iccProfile: ColorPipeline.iccProfile(for: space))
        try ImageIO.write(ImageFile(image: encoded, metadata: meta), to: output, format: format,
                          options: EncodeOptions(bitDepth: depth))
    }
}
