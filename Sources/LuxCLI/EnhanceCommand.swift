import ArgumentParser
import Foundation
import LuxAgent
import LuxFilters
import LuxIO

/// `lux enhance`: the white-box agent edits each photo; writes the result, and on request the recipe
/// (JSON, XMP sidecar, .cube LUT) and the steps strip.
public struct EnhanceCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "enhance",
        abstract: "Enhance photos automatically with the white-box agent; explain each edit as a recipe.",
        discussion: """
        lux enhance IN... [-o DIR]     each photo -> DIR/<name>.lux.jpg (default DIR: ./lux-out);
                                       folders are expanded (not recursive); inputs are never overwritten
        Colour: every input is linearised through its own profile (RAW, 16-bit, float, 8-bit), edited in
        linear sRGB, written with the sRGB curve and an sRGB ICC profile (EXIF kept); PNG and TIFF are
        16-bit when the input has more than 8 bits.
        --recipe-out, --xmp, --cube, --steps-image: with one photo and one edit, the exact file. With
        several photos or --variants, a value that is a folder (exists, or ends in '/') receives
        <name>.lux[.vK].recipe.json / .xmp / .cube / .steps.png; any other value gets the photo's
        name inserted before its extension: r.json -> r.<name>[.vK].json.
        --variants N: N alternative edits (dropout sampling) with seeds S, S+1, ... (S = --seed, default 0),
        written as <name>.lux.v1.jpg ... <name>.lux.vN.jpg. Without it the edit is deterministic
        (no dropout) unless --seed is given.
        """
    )

    @Argument(help: "Input photos or folders.")
    var inputs: [String]

    @Option(name: [.short, .customLong("output")], help: "Output folder.")
    var output = "lux-out"

    @Option(name: .customLong("recipe-out"), help: "Write the recipe as JSON (re-apply with `lux apply --recipe`).")
    var recipeOut: String?

    @Option(help: "Write the recipe as a Camera Raw XMP sidecar.")
    var xmp: String?

    @Option(help: "Write the recipe as a 33-point .cube 3-D LUT (sRGB in/out).")
    var cube: String?

    @Option(name: .customLong("steps-image"), help: "Write a PNG strip of the agent's thumbnails after each step, labelled.")
    var stepsImage: String?

    @Option(help: "Write N alternative edits per photo (dropout sampling, seeds S, S+1, ...).")
    var variants: Int?

    @Option(help: "Dropout seed (default: deterministic, no dropout; with --variants: 0).")
    var seed: UInt64?

    @Option(help: "Agent model (safetensors from `lux train agent`); default: the embedded model.")
    var model: String?

    @Option(help: "Engine: agent (white-box recipe) or histogram (3-D histogram network + Pitié transfer; --model from `lux train histogram`).")
    var engine: EnhanceEngine = .agent

    @Option(help: "Output format: jpg, png or tif.")
    var format: ImageFormat = .jpeg



    @Flag(help: "Print a JSON array (one entry per edit: output, recipe, timings) on stdout.")
    var json = false


    @OptionGroup var write: WriteOptions

    public init() {}

    public func validate() throws {
        guard [.jpeg, .png, .tiff].contains(format) else { throw ValidationError("--format must be jpg, png or tif") }
        if let v = variants, !(1...100).contains(v) { throw ValidationError("--variants must be 1-100, got \(v)") }
        if engine == .histogram, recipeOut != nil || xmp != nil || cube != nil || stepsImage != nil {
            throw ValidationError("--engine histogram makes no recipe: --recipe-out, --xmp, --cube and --steps-image go with --engine agent")
        }
    }

    /// One edit to produce: a photo, a seed and every file it writes.
    struct Job {
        var input: String
        var seed: UInt64?
        var output: String
        var recipe: String?
        var xmp: String?
        var cube: String?
        var steps: String?
        var sideFiles: [String] { [recipe, xmp, cube, steps].compactMap { $0 } }
    }

    /// What `--json` prints for one edit.
    public struct Result: Encodable {
        public var input: String
        public var output: String
        public var seed: UInt64?
        public var recipe: Recipe
        public var description: String
        public var recipeOut: String?
        public var xmp: String?
        public var cube: String?
        public var stepsImage: String?
        public var width: Int
        public var height: Int
        public var seconds: EnhancePipeline.Timings
    }

    /// Where a side file goes (see the discussion above): in the folder `value` as `<outName>.<kind>`;
    /// else `value` itself for a single edit; else `value` with `.<photoTag>` inserted before its extension.
    static func sidePath(_ value: String?, outName: String, photoTag: String, kind: String, multi: Bool) -> String? {
        guard let value else { return nil }
        var isDir: ObjCBool = false
        if value.hasSuffix("/") || (FileManager.default.fileExists(atPath: value, isDirectory: &isDir) && isDir.boolValue) {
            return (value as NSString).appendingPathComponent(outName + "." + kind)
        }
        guard multi else { return value }
        let ext = (value as NSString).pathExtension
        let base = ext.isEmpty ? value : String(value.dropLast(ext.count + 1))
        return base + "." + photoTag + (ext.isEmpty ? "" : "." + ext)
    }

    /// Expands the inputs and plans every output; fails before any decoding on a conflict.
    func plan() throws -> [Job] {
        let files = try BatchInputs.expand(inputs)
        let seeds: [(suffix: String, seed: UInt64?)] = variants.map { n in
            (0..<n).map { (".v\($0 + 1)", (seed ?? 0) &+ UInt64($0)) }
        } ?? [("", seed)]
        let multi = files.count > 1 || seeds.count > 1
        var jobs: [Job] = []
        for file in files {
            let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            for (suffix, s) in seeds {
                let outName = stem + ".lux" + suffix
                func side(_ value: String?, _ kind: String) -> String? {
                    Self.sidePath(value, outName: outName, photoTag: stem + suffix, kind: kind, multi: multi)
                }
                jobs.append(Job(
                    input: file, seed: s,
                    output: (output as NSString).appendingPathComponent(outName + "." + format.fileExtension),
                    recipe: side(recipeOut, "recipe.json"), xmp: side(xmp, "xmp"), cube: side(cube, "cube"),
                    steps: side(stepsImage, "steps.png")))
            }
        }
        let policy = write.policy
        var seen = Set<String>()
        for job in jobs {
            for path in [job.output] + job.sideFiles {
                try policy.check(output: path, inputs: files)
                if !seen.insert(OutputPolicy.resolvedPath(path)).inserted { throw CLIError.duplicateOutput(path: path) }
            }
        }
        return jobs
    }

    /// Loads the agent from `--model` or the embedded default.
    func loadEnhancer() throws -> Enhancer {
        if engine == .histogram { return try Enhancer.histogram(model: model) }
        let agent = try model.map { try EnhanceAgent(contentsOf: URL(fileURLWithPath: $0)) } ?? EnhanceAgent.loadDefault()
        return Enhancer(agent: agent, output: .sRGB)
    }

    public func run() throws {
        let jobs = try plan()
        try run(jobs, enhancer: try loadEnhancer())
    }

    /// Runs the command with a given enhancer (the agent, or a stand-in in tests).
    public func run(enhancer: Enhancer) throws {
        try run(try plan(), enhancer: enhancer)
    }

    func run(_ jobs: [Job], enhancer: Enhancer) throws {
        let policy = write.policy
        try policy.prepareFolder(output)
        for folder in Set(jobs.flatMap(\.sideFiles).map { ($0 as NSString).deletingLastPathComponent }) where !folder.isEmpty {
            try policy.prepareFolder(folder)
        }
        let photos = jobs.reduce(into: [String]()) { if $0.last != $1.input { $0.append($1.input) } }
        try BatchRun.run(photos, single: photos.count == 1, noun: "photos", json: json, label: { $0 }) { photo in
            try enhance(photo, jobs: jobs.filter { $0.input == photo }, enhancer: enhancer)
        }
    }

    /// Decodes `photo` once and produces each of its edits.
    func enhance(_ photo: String, jobs: [Job], enhancer: Enhancer) throws -> [Result] {
        let source = try EnhancePipeline.load(photo, maxPixels: write.maxPixels)
        var results: [Result] = []
        for job in jobs {
            var t = source.timings
            let start = EnhancePipeline.now()
            var edit = enhancer.enhance(source.working, job.seed)
            t.enhance = EnhancePipeline.now() - start
            t.encode = try EnhancePipeline.write(&edit.image, source: source.metadata, to: job.output, format: format, quality: write.quality)
            if let path = job.recipe { try ImageIO.writeAtomically(try edit.recipe.jsonData(), to: path) }
            if let path = job.xmp {
                let out = XMPExport.export(edit.recipe)
                for w in out.warnings { FileHandle.standardError.write(Data("xmp: not mapped: \(w)\n".utf8)) }
                try ImageIO.writeAtomically(Data(out.xml.utf8), to: path)
            }
            if let path = job.cube { try ImageIO.writeAtomically(Data(CubeExport.cube(edit.recipe).utf8), to: path) }
            if let path = job.steps { try StepsImage.write(thumbnails: edit.thumbnails, recipe: edit.recipe, to: path) }
            if !json { print("\(job.output): \(engine == .histogram ? EnhanceEngine.histogramDescription : edit.recipe.description)") }
            results.append(Result(input: photo, output: job.output, seed: job.seed, recipe: edit.recipe,
                                  description: edit.recipe.description, recipeOut: job.recipe, xmp: job.xmp, cube: job.cube,
                                  stepsImage: job.steps, width: source.working.width, height: source.working.height, seconds: t))
        }
        return results
    }
}
