import ArgumentParser
import Foundation
import LuxColor
import LuxHistogram
import LuxImage
import LuxIO

/// `lux histogram IN... [--plot h.png]`: the 3-D RGB histogram of photos, summarised on stdout and
/// drawn as three 2-D marginals per photo (optionally with the histogram network's prediction).
public struct HistogramCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "histogram",
        abstract: "Show the 3-D RGB histogram of photos (summary, and a plot of its 2-D marginals).",
        discussion: """
        Values are sRGB-encoded in [0, 1] (each photo decoded as `lux enhance` does). For each photo prints
        one line: occupied cells of the BINS^3 histogram, mean and standard deviation of R, G, B.
        --plot h.png draws one row per photo: the R-G, R-B and G-B marginals, each cell in the mean colour of
        its pixels, brightness by log count. --predicted adds a row with the histogram network's prediction
        for that photo (what `lux enhance --engine histogram` would move it to).
        """
    )

    @Argument(help: "Photos.") var inputs: [String]
    @Option(help: "Write the plot to this PNG.") var plot: String?
    @Flag(help: "Also plot the histogram network's predicted histogram for each photo.") var predicted = false
    @Option(help: "Histogram network (default: the embedded model).") var model: String?
    @Option(help: "Bins per axis of the summary.") var bins = 16
    @Flag(help: "Overwrite an existing plot (inputs are never overwritten).") var force = false
    @Option(help: "Refuse images with more pixels than this (decompression-bomb guard).") var maxPixels = DecodeOptions.defaultMaxPixels

    public init() {}

    public func validate() throws {
        guard (2...64).contains(bins) else { throw ValidationError("--bins must be 2-64, got \(bins)") }
        if predicted && plot == nil { throw ValidationError("--predicted needs --plot") }
    }

    public func run() throws {
        let files = try BatchInputs.expand(inputs)
        if let plot {
            let policy = OutputPolicy(force: force)
            try policy.check(output: plot, inputs: files)
            try policy.prepareFolder((plot as NSString).deletingLastPathComponent)
        }
        let net = predicted ? try model.map { try HistogramNet(contentsOf: URL(fileURLWithPath: $0)) } ?? HistogramNet.loadDefault() : nil
        var rows: [(label: String, samples: ColorSamples)] = []
        for file in files {
            let encoded = ColorPipeline.fromWorking(try EnhancePipeline.load(file, maxPixels: maxPixels).working, to: .sRGB)
            let samples = ColorSamples(image: encoded, limit: 1 << 20)
            print(Self.summary(file, encoded, bins: bins))
            let name = (file as NSString).lastPathComponent
            rows.append((name, samples))
            if let net {
                let enhancer = HistogramEnhancer(net: net)
                let h = HistogramNet.histogram(encoded.thumbnail(maxSide: enhancer.side), bins: net.bins)
                rows.append(("predicted " + name, ColorSamples(histogram: net.predict(h), bins: net.bins, count: 1 << 18)))
            }
        }
        if let plot { try HistogramPlot.write(rows, to: plot) }
    }

    /// `FILE: N/BINS^3 cells occupied, mean R G B, std R G B`.
    static func summary(_ file: String, _ encoded: Image, bins: Int) -> String {
        let h = encoded.rgbHistogram(bins: bins, range: 0...1)
        let occupied = h.counts.filter { $0 > 0 }.count
        let (m, s) = ColorSamples(image: encoded, limit: 1 << 20).meanStd()
        return String(format: "%@: %d/%d cells occupied, mean %.3f %.3f %.3f, std %.3f %.3f %.3f", file, occupied, h.counts.count,
                      m.x, m.y, m.z, s.x, s.y, s.z)
    }
}
