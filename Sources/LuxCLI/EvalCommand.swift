import ArgumentParser
import Foundation
import LuxAgent
import LuxCorrect
import LuxDatasets
import LuxImage
import LuxIO

/// Errors of `lux eval`; `description` is one line.
public enum EvalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The agent model could not be loaded (no default model yet, or a bad `--model` file).
    case agentUnavailable(String)
    /// An engine failed on one input.
    case engineFailed(String)
    /// Input and target of a pair differ in size.
    case sizeMismatch(String)

    public var description: String {
        switch self {
        case .agentUnavailable(let s): "agent unavailable: \(s)"
        case .engineFailed(let s): s
        case .sizeMismatch(let s): s
        }
    }
}

/// `lux eval`: scores methods on input/target pairs. For every pair, each method's output is compared
/// with the target: PSNR (dB, sRGB-encoded [0, 1]), SSIM (luminance) and mean CIEDE2000; the table
/// gives the mean over pairs per method, with "input (unedited)" as the reference, and one more table
/// per exposure error when the file stems end in `_<ev>` (as `lux dataset exposure` writes them).
public struct EvalCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score enhancement methods (PSNR / SSIM / CIEDE2000) on input/target pairs."
    )

    /// Which methods to score besides the unedited input.
    public enum Engine: String, ExpressibleByArgument, CaseIterable, Sendable {
        case agent, identity, imagemagick, correct, clahe, all
    }

    @Option(name: .long, help: "Folder with inputs/ and targets/ (or outputs/), matched by file stem.")
    var pairs: String?
    @Option(name: .long, help: "Folder of inputs (with --targets).")
    var inputs: String?
    @Option(name: .long, help: "Folder of targets (with --inputs).")
    var targets: String?
    @Option(name: .long, help: "agent, identity (input only), imagemagick, correct, clahe (OpenCV), or all.")
    var engine: Engine = .agent
    @Option(name: .long, help: "Agent model (safetensors); default: the embedded model.")
    var model: String?
    @Option(name: .customLong("correct-model"), help: "Exposure-correction model (safetensors); default: the embedded model.")
    var correctModel: String?
    @Flag(name: .customLong("held-out"), help: "Keep only the held-out split: every 5th pair by sorted stem (the sintel validation split).")
    var heldOut = false
    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    public init() {}

    public func validate() throws {
        if pairs != nil && (inputs != nil || targets != nil) { throw ValidationError("give --pairs DIR or --inputs DIR --targets DIR, not both") }
        if pairs == nil && (inputs == nil || targets == nil) { throw ValidationError("give --pairs DIR, or both --inputs DIR and --targets DIR") }
    }

    public func run() throws {
        var folder = try pairs.map { try PairFolder(root: $0) } ?? PairFolder(inputs: inputs!, targets: targets!)
        if !folder.unmatched.isEmpty {
            FileHandle.standardError.write(Data("eval: \(folder.unmatched.count) file(s) without a partner skipped (e.g. \(folder.unmatched[0]))\n".utf8))
        }
        if heldOut { folder = folder.keeping(Splits.sintelHeldOut(folder.pairs.map(\.stem))) }
        let report = try evaluate(folder)
        print(json ? try report.json() : report.table())
    }

    /// The engines to run (the unedited input first) and the unavailable ones with a reason.
    func engines(tempDir: String) throws -> (run: [any EvalEngine], unavailable: [(String, String)]) {
        var run: [any EvalEngine] = [IdentityEngine()]
        var unavailable: [(String, String)] = []
        if engine == .imagemagick || engine == .all {
            if let convert = ImageMagickEngine.findConvert() {
                run.append(ImageMagickEngine(convert: convert, tempDir: tempDir))
            } else if engine == .imagemagick {
                throw EvalError.engineFailed("ImageMagick `convert` not found on PATH")
            } else {
                unavailable.append(("imagemagick", "`convert` not found on PATH"))
            }
        }
        if engine == .clahe || engine == .all {
            let (python, why) = CLAHEEngine.findPython()
            if let python {
                run.append(CLAHEEngine(python: python, tempDir: tempDir))
            } else if engine == .clahe {
                throw EvalError.engineFailed("CLAHE baseline unavailable: \(why)")
            } else {
                unavailable.append(("clahe (opencv)", why))
            }
        }
        if engine == .correct || engine == .all {
            do {
                let c = try correctModel.map { try ExposureCorrector(contentsOf: URL(fileURLWithPath: $0)) } ?? ExposureCorrector.loadDefault()
                run.append(CorrectEngine(corrector: c))
            } catch {
                if engine == .correct { throw EvalError.engineFailed("correct unavailable: \(error)") }
                unavailable.append(("correct", "\(error)"))
            }
        }
        if engine == .agent || engine == .all {
            do {
                let agent = try model.map { try EnhanceAgent(contentsOf: URL(fileURLWithPath: $0)) } ?? EnhanceAgent.loadDefault()
                run.append(AgentEngine(agent: agent))
            } catch {
                if engine == .agent { throw EvalError.agentUnavailable("\(error)") }
                unavailable.append(("agent", "\(error)"))
            }
        }
        return (run, unavailable)
    }

    /// Runs every engine on every pair and averages the scores.
    func evaluate(_ folder: PairFolder) throws -> EvalReport {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("lux-eval-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let (engines, unavailable) = try engines(tempDir: temp)
        for (name, why) in unavailable { FileHandle.standardError.write(Data("eval: \(name) unavailable: \(why)\n".utf8)) }
        var acc = EvalAccumulator()
        acc.methods = engines.map { ($0.name, nil) } + unavailable.map { ($0.0, $0.1) }
        let progress = Progress(total: folder.pairs.count)
        for pair in folder.pairs {
            let ev = PairFolder.exposureEV(ofStem: pair.stem)
            let group = ev.map { "EV \(PairFolder.evLabel($0))" }
            acc.addPair(group: group, ev: ev)
            let input = try ImageIO.read(path: pair.input)
            let target = try EvalImages.srgb(try ImageIO.read(path: pair.target))
            for e in engines {
                let out = try e.run(inputPath: pair.input, input: input)
                guard out.width == target.width, out.height == target.height else {
                    throw EvalError.sizeMismatch("\(pair.stem): \(e.name) output is \(out.width)x\(out.height), target \(target.width)x\(target.height)")
                }
                acc.add(method: e.name, group: group,
                        psnr: try ImageMetrics.psnr(out, target), ssim: try ImageMetrics.ssim(out, target),
                        deltaE: try ImageMetrics.meanCIEDE2000(out, target))
            }
            progress.step(pair.stem)
        }
        return acc.report(source: (pairs ?? inputs!) + (heldOut ? " (held-out split)" : ""))
    }
}
