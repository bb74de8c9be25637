import Foundation
import LuxImage
import LuxColor
import LuxIO

/// A PNG sheet of sample edits during training: one row per photo (input thumbnail, then the image
/// after each step, then — when known — the target), sRGB-encoded; the operation sequence of every
/// row goes into a sidecar `.txt` next to it.
public enum SampleSheet {
    public static func write(agent: EnhanceAgent, inputs: [Image], targets: [Image]?, to path: String) throws {
        let side = agent.config.thumbnail, gap = 2
        let cols = agent.config.maxSteps + 1 + (targets == nil ? 0 : 1)
        let w = cols * (side + gap), h = inputs.count * (side + gap)
        var sheet = Image(width: w, height: h, channels: 3, colorSpace: .working, fill: 1)
        var lines: [String] = []
        for (row, input) in inputs.enumerated() {
            let (recipe, thumbs) = agent.recipe(for: input)
            var tiles = thumbs
            if let targets { while tiles.count < cols - 1 { tiles.append(Image(width: side, height: side, fill: 1)) }; tiles.append(AgentState.thumbnail(targets[row], side: side)) }
            for (col, t) in tiles.enumerated() {
                for c in 0..<3 { for y in 0..<side { for x in 0..<side {
                    sheet.pixels[c * w * h + (row * (side + gap) + y) * w + col * (side + gap) + x] = t.pixels[c * side * side + y * side + x]
                } } }
            }
            lines.append("row \(row): \(recipe.description)")
        }
        let encoded = ColorPipeline.fromWorking(sheet, to: .sRGB)
        try ImageIO.write(ImageFile(image: encoded, metadata: ImageMetadata(format: .png, bitDepth: 8)), to: path, format: .png)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path + ".txt", atomically: true, encoding: .utf8)
    }
}
