import Foundation

/// The package's root folder (the nearest folder above this file holding Package.swift; the current
/// directory if none), shared by the test targets that read `Samples/` or `../shared/data`.
public let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        url = url.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()
