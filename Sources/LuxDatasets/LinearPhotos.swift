import Foundation
import LuxImage
import LuxIO

/// The `fivek-linear` photos: 16-bit PNGs whose stored values divided by 65535 are linear camera
/// intensities (scene-referred, typically dark: mean ~0.02). Loaded as working-space images
/// (``ColorSpace/working``): no transfer curve is decoded, values stay in [0, 1].
public enum LinearPhotos {
    /// Loads one linear photo: pixel values `v / 65535` (or `v / 255` for an 8-bit file), colour space `.working`.
    public static func load(path: String) throws -> Image {
        var image = try ImageIO.read(path: path).image
        image.colorSpace = .working
        return image
    }

    /// The PNG files of `folder`, sorted by name; restricted to `names` (file names such as `0376.png`) when given.
    /// Throws ``DatasetError/missingPhoto(_:)`` for a listed name that is not there.
    public static func files(in folder: String, names: [String]? = nil) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw DatasetError.missingFolder(folder)
        }
        let all = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.lowercased().hasSuffix(".png") && !$0.hasPrefix(".") }.sorted()
        guard let names else { return all.map { (folder as NSString).appendingPathComponent($0) } }
        let present = Set(all)
        return try names.map { name in
            let path = (folder as NSString).appendingPathComponent(name)
            guard present.contains(name) else { throw DatasetError.missingPhoto(path) }
            return path
        }
    }
}
