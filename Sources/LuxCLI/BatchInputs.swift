import Foundation
import LuxIO

/// Expands command-line input arguments into image files.
public enum BatchInputs {
    /// File extensions taken from a folder (files named on the command line are taken whatever their name;
    /// formats are always detected from content).
    public static let imageExtensions: Set<String> = [
        "jpg", "jpeg", "jpe", "png", "tif", "tiff", "hdr", "rgbe", "pic", "exr",
        "dng", "cr2", "cr3", "nef", "arw", "orf", "rw2", "raf", "pef", "srw", "raw",
    ]

    /// Files named directly are kept as given; a folder is replaced by its image files (not recursive,
    /// hidden files skipped) sorted by name. Throws if an argument names nothing or an empty folder.
    public static func expand(_ arguments: [String]) throws -> [String] {
        var result: [String] = []
        for arg in arguments {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: arg, isDirectory: &isDir) else {
                throw ImageIOError.fileNotFound(path: arg)
            }
            if !isDir.boolValue { result.append(arg); continue }
            let names = try FileManager.default.contentsOfDirectory(atPath: arg)
                .filter { !$0.hasPrefix(".") && imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted()
            let files = names.map { (arg as NSString).appendingPathComponent($0) }.filter {
                var d: ObjCBool = false
                return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue
            }
            if files.isEmpty { throw CLIError.noInputs(path: arg) }
            result += files
        }
        return result
    }
}
