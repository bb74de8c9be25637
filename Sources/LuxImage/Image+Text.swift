extension Image {
    /// Draws `text` in ``BitmapFont`` with its top-left corner at (`x`, `y`), each font pixel a
    /// `scale` x `scale` square, setting every colour channel of the ink pixels to `value`
    /// (alpha untouched); pixels outside the image are clipped.
    public mutating func draw(text: String, x: Int, y: Int, scale: Int = 1, value: Float) {
        let w = width, h = height, plane = planeCount, colours = min(channels, 3)
        pixels.withUnsafeMutableBufferPointer { px in
            BitmapFont.draw(text, x: x, y: y, scale: scale) { px0, py0 in
                guard px0 >= 0, px0 < w, py0 >= 0, py0 < h else { return }
                for c in 0..<colours { px[c * plane + py0 * w + px0] = value }
            }
        }
    }
}
