import Foundation
import LuxColor
import LuxFilters
import LuxImage
import LuxIO

/// The steps strip written by `lux enhance --steps-image`: the agent's thumbnails side by side (the
/// input, then the photo after each step), each enlarged to a `cell` x `cell` tile (nearest
/// neighbour, integer factor) on a dark background, labelled underneath with the filter and its
/// main parameter in ``BitmapFont`` ("INPUT", "EXPOSURE +0.70", ...). sRGB-encoded, values clipped to [0, 1].
public enum StepsImage {
    /// Tile side in pixels.
    public static let cell = 128
    static let pad = 8
    static let labelHeight = 2 * BitmapFont.glyphHeight + 8
    static let background: Float = 0.12
    static let ink: Float = 0.95

    /// Labels: "input", then for each step `filter value` (``RecipeStep/label``).
    public static func labels(for recipe: Recipe) -> [String] { ["input"] + recipe.steps.map(\.label) }

    /// Renders the strip for working-space `thumbnails` (input first) and the `recipe` that made them.
    public static func render(thumbnails: [Image], recipe: Recipe) -> Image {
        let names = labels(for: recipe)
        let n = max(1, thumbnails.count)
        let width = pad + n * (cell + pad)
        let height = pad + cell + labelHeight
        var out = Image(width: width, height: height, channels: 3, colorSpace: .sRGB, fill: background)
        let plane = width * height
        out.pixels.withUnsafeMutableBufferPointer { px in
            for (i, thumbWorking) in thumbnails.enumerated() {
                let thumb = ColorPipeline.fromWorking(thumbWorking.channels == 3 ? thumbWorking : thumbWorking.rgb(), to: .sRGB)
                let scale = max(1, cell / max(thumb.width, thumb.height))
                let ox = pad + i * (cell + pad) + (cell - thumb.width * scale) / 2
                let oy = pad + (cell - thumb.height * scale) / 2
                for y in 0..<min(cell, thumb.height * scale) {
                    for x in 0..<min(cell, thumb.width * scale) {
                        for c in 0..<3 {
                            let v = thumb[x / scale, y / scale, c]
                            px[c * plane + (oy + y) * width + ox + x] = v.isNaN ? 0 : min(1, max(0, v))
                        }
                    }
                }
                // The label: as many characters as fit under the tile.
                let fit = (cell + pad / 2) / BitmapFont.advance
                let text = String((i < names.count ? names[i] : "step \(i)").uppercased().prefix(fit))
                let tx = pad + i * (cell + pad) + max(0, (cell - BitmapFont.width(of: text)) / 2)
                BitmapFont.draw(text, x: tx, y: pad + cell + 6) { x, y in
                    guard x >= 0, x < width, y >= 0, y < height else { return }
                    for c in 0..<3 { px[c * plane + y * width + x] = ink }
                }
            }
        }
        return out
    }

    /// Renders the strip and writes it atomically as an 8-bit sRGB PNG.
    public static func write(thumbnails: [Image], recipe: Recipe, to path: String) throws {
        let image = render(thumbnails: thumbnails, recipe: recipe)
        let meta = ImageMetadata(format: .png, bitDepth: 8, iccProfile: ColorPipeline.iccProfile(for: .sRGB))
        try ImageIO.write(ImageFile(image: image, metadata: meta), to: path, format: .png, options: EncodeOptions(bitDepth: 8))
    }
}
