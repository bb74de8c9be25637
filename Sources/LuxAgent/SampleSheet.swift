import Foundation
import LuxImage
import LuxColor
import LuxIO
import LuxFilters

/// A PNG sheet of sample edits during training (the paper's training visualisation): one row per
/// photo (input thumbnail, then the image after each step, then — when known — the target), each
/// tile labelled underneath in ``BitmapFont`` with its operation (filter name, then its first
/// parameter: "INPUT", "EXPOSURE" "+0.70", ..., "TARGET"), sRGB-encoded. The full recipe of every
/// row also goes into a sidecar `.txt` next to it.
public enum SampleSheet {
    /// Space under each tile for two label lines.
    static let labelHeight = 2 * (BitmapFont.glyphHeight + 2) + 2

    /// The two label lines of a tile, cut to the tile's width.
    static func labelLines(_ text: String, side: Int) -> [String] {
        let fit = (side + 1) / BitmapFont.advance
        let parts = text.uppercased().split(separator: " ", maxSplits: 1).map(String.init)
        return parts.map { String($0.prefix(fit)) }
    }

    public static func write(agent: EnhanceAgent, inputs: [Image], targets: [Image]?, to path: String) throws {
        let sheet = render(agent: agent, inputs: inputs, targets: targets)
        try ImageIO.write(ImageFile(image: sheet.image, metadata: ImageMetadata(format: .png, bitDepth: 8)), to: path, format: .png)
        try (sheet.lines.joined(separator: "\n") + "\n").write(toFile: path + ".txt", atomically: true, encoding: .utf8)
    }

    /// The sheet (sRGB-encoded) and one description line per row.
    public static func render(agent: EnhanceAgent, inputs: [Image], targets: [Image]?) -> (image: Image, lines: [String]) {
        let side = agent.config.thumbnail, gap = 4
        let cols = agent.config.maxSteps + 1 + (targets == nil ? 0 : 1)
        let rowHeight = side + labelHeight + gap
        let w = gap + cols * (side + gap), h = gap + inputs.count * rowHeight
        var sheet = Image(width: w, height: h, channels: 3, colorSpace: .working, fill: 1)
        var lines: [String] = []
        var labels: [(String, Int, Int)] = []
        for (row, input) in inputs.enumerated() {
            let (recipe, thumbs) = agent.recipe(for: input)
            var tiles = thumbs
            var names = ["input"] + recipe.steps.map(\.label)
            if let targets {
                while tiles.count < cols - 1 { tiles.append(Image(width: side, height: side, fill: 1)); names.append("") }
                tiles.append(AgentState.thumbnail(targets[row], side: side))
                names.append("target")
            }
            let top = gap + row * rowHeight
            for (col, t) in tiles.enumerated() {
                let left = gap + col * (side + gap)
                for c in 0..<3 { for y in 0..<side { for x in 0..<side {
                    sheet.pixels[c * w * h + (top + y) * w + left + x] = t.pixels[c * side * side + y * side + x]
                } } }
                for (k, line) in labelLines(col < names.count ? names[col] : "", side: side).enumerated() {
                    labels.append((line, left, top + side + 2 + k * (BitmapFont.glyphHeight + 2)))
                }
            }
            lines.append("row \(row): \(recipe.description)")
        }
        var encoded = ColorPipeline.fromWorking(sheet, to: .sRGB)
        for (text, x, y) in labels { encoded.draw(text: text, x: x, y: y, value: 0) }
        return (encoded, lines)
    }
}
