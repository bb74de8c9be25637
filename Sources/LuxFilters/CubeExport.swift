import Foundation
import LuxImage

/// 3-D LUT exports of a whole recipe for display-referred sRGB input:
/// sRGB code value → decode (IEC 61966-2-1) → working linear → recipe → encode sRGB, clamped to [0, 1].
public enum CubeExport {
    /// The LUT samples: `size³` RGB triples, red fastest, then green, then blue, as an image of
    /// width `size`, height `size²` (pixel index = r + size·g + size²·b), sRGB-encoded values.
    public static func table(_ recipe: Recipe, size: Int) -> Image {
        let n = size * size * size
        var img = Image(width: size, height: size * size)
        for i in 0..<n {
            let r = i % size, g = (i / size) % size, b = i / (size * size)
            img.pixels[i] = Float(srgbDecode(Double(r) / Double(size - 1)))
            img.pixels[n + i] = Float(srgbDecode(Double(g) / Double(size - 1)))
            img.pixels[2 * n + i] = Float(srgbDecode(Double(b) / Double(size - 1)))
        }
        var out = Renderer(recipe).render(img)
        for i in 0..<out.pixels.count { out.pixels[i] = Float(srgbEncode(Double(out.pixels[i]))) }
        return out
    }

    /// A `.cube` file (Adobe/Resolve format): TITLE, LUT_3D_SIZE (33 or 65 recommended),
    /// DOMAIN_MIN/MAX 0..1, one "r g b" line per entry, red fastest.
    public static func cube(_ recipe: Recipe, size: Int = 33, title: String = "Lux recipe") -> String {
        precondition(size >= 2 && size <= 256, "cube size must be in 2...256")
        let t = table(recipe, size: size), n = size * size * size
        var s = "# Created by Lux: \(recipe.description)\n"
        s += "TITLE \"\(title.replacingOccurrences(of: "\"", with: "'"))\"\nLUT_3D_SIZE \(size)\nDOMAIN_MIN 0.0 0.0 0.0\nDOMAIN_MAX 1.0 1.0 1.0\n"
        s.reserveCapacity(s.utf8.count + n * 27)
        for i in 0..<n {
            s += fixed6(t.pixels[i]) + " " + fixed6(t.pixels[n + i]) + " " + fixed6(t.pixels[2 * n + i]) + "\n"
        }
        return s
    }

    /// A HALD CLUT image of `level` (cube size level², image level³ × level³ pixels), sRGB-encoded,
    /// for ImageMagick `-hald-clut` (write it as 16-bit PNG/TIFF).
    public static func hald(_ recipe: Recipe, level: Int = 8) -> Image {
        let t = table(recipe, size: level * level)
        return Image(width: level * level * level, height: level * level * level, colorSpace: ColorSpace(primaries: .sRGB, transfer: .sRGB), pixels: t.pixels)
    }

    /// "0.123457" without Foundation formatting (fast for 274 625 lines).
    static func fixed6(_ v: Float) -> String {
        let q = Int((Double(v) * 1_000_000).rounded())
        let i = q / 1_000_000, f = q % 1_000_000
        let fs = String(f)
        return "\(i)." + String(repeating: "0", count: 6 - fs.count) + fs
    }

    /// sRGB EOTF (IEC 61966-2-1): v ≤ 0.04045 ? v/12.92 : ((v + 0.055)/1.055)^2.4.
    public static func srgbDecode(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
    /// Inverse of ``srgbDecode(_:)``, clamped to [0, 1].
    public static func srgbEncode(_ l: Double) -> Double {
        let x = min(max(l, 0), 1)
        return x <= 0.0031308 ? 12.92 * x : 1.055 * pow(x, 1 / 2.4) - 0.055
    }
}
