import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LuxFilters
import LuxImage

/// Records namespaces seen while parsing with namespace processing on.
private final class NSCheck: NSObject, XMLParserDelegate {
    var crsAttributes = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if namespaceURI == "http://www.w3.org/1999/02/22-rdf-syntax-ns#" && name == "Description" {
            crsAttributes += attributes.keys.filter { $0.hasPrefix("crs:") }.count
        }
    }
}

/// Mapped filters in XMPImport's canonical order.
private func mappedRecipe() throws -> Recipe {
    let colour: [Double] = (0..<24).map { (i: Int) -> Double in 0.95 + 0.01 * Double((i * 7) % 10) }
    return Recipe([
        try RecipeStep("temperature", [5400, 12]),
        try RecipeStep("exposure", [0.7]),
        try RecipeStep("contrast", [0.25]),
        try RecipeStep("highlightsShadows", [-0.4, 0.35]),
        try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0]),
        try RecipeStep("colorCurves", colour),
        try RecipeStep("vibrance", [0.3]),
        try RecipeStep("saturation", [0.2]),
        try RecipeStep("blackWhite", [1]),
    ])
}

@Suite("XMP and cube export")
struct ExportTests {
    @Test func xmpIsValidXMLWithCRSNamespaceAndRoundTrips() throws {
        let r = try mappedRecipe()
        let out = XMPExport.export(r)
        #expect(out.warnings.isEmpty)
        let p = XMLParser(data: Data(out.xml.utf8))
        p.shouldProcessNamespaces = true
        p.shouldReportNamespacePrefixes = true
        let check = NSCheck()
        p.delegate = check
        #expect(p.parse(), "XMP is not well-formed XML: \(String(describing: p.parserError))")
        #expect(out.xml.contains("xmlns:crs=\"http://ns.adobe.com/camera-raw-settings/1.0/\""))
        #expect(out.xml.contains("crs:Exposure2012=\"+0.7\""))
        if let xmllint = which("xmllint") {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("lux-\(UUID().uuidString).xmp")
            try out.xml.write(to: url, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: url) }
            #expect(try run(xmllint, ["--noout", url.path]) == 0, "xmllint rejected the XMP")
        }
        let back = try XMPImport.recipe(fromXMP: out.xml)
        #expect(back.recipe.isApproximatelyEqual(to: r, tolerance: 1e-4), "import(export(r)) = \(back.recipe) vs \(r)")
    }

    @Test func unmappedFiltersAreWarnedAndCommented() throws {
        let r = Recipe([try RecipeStep("gamma", [0.8]), try RecipeStep("exposure", [0.5]), try RecipeStep("whiteBalance", [0.1, 0]),
                        try RecipeStep("exposure", [0.2])])
        let out = XMPExport.export(r)
        #expect(out.warnings.count == 3)
        #expect(out.xml.contains("<!-- Not mapped to Camera Raw:"))
        #expect(out.xml.contains("gamma 0.80"))
        let back = try XMPImport.recipe(fromXMP: out.xml)
        #expect(back.recipe.description == "exposure +0.50 EV")
        #expect(throws: FilterError.self) { try XMPImport.recipe(fromXMP: "<a><b></a>") }
    }

    @Test func importsElementFormAndClampsOutOfRange() throws {
        let xmp = """
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/">
          <crs:Exposure2012>+4.50</crs:Exposure2012><crs:Shadows2012>+20</crs:Shadows2012>
          <crs:ToneCurvePV2012><rdf:Seq><rdf:li>0, 0</rdf:li><rdf:li>128, 150</rdf:li><rdf:li>255, 255</rdf:li></rdf:Seq></crs:ToneCurvePV2012>
        </rdf:Description></rdf:RDF></x:xmpmeta>
        """
        let (r, warnings) = try XMPImport.recipe(fromXMP: xmp)
        #expect(r.steps.map(\.filter) == ["exposure", "highlightsShadows", "toneCurve"])
        #expect(r.steps[0].values == [3.5])
        #expect(warnings.count == 1 && warnings[0].contains("exposure.ev"))
        #expect(abs(r.steps[1].values[1] - 0.2) < 1e-12)
        // The 3-point curve resampled at x = i/8 keeps f(128/255) close to 150/255.
        let y = ToneCurve.applyPixel((128.0 / 255, 0, 0), r.steps[2].values).0
        #expect(abs(y - 150.0 / 255) < 0.02, "f(128) = \(y * 255)")
    }

    @Test func cubeHeaderAndIdentity() throws {
        let text = CubeExport.cube(Recipe(), size: 5, title: "id")
        let lines = text.split(separator: "\n")
        #expect(lines.contains("LUT_3D_SIZE 5"))
        #expect(lines.contains("DOMAIN_MIN 0.0 0.0 0.0"))
        let data = lines.filter { $0.first?.isNumber == true }
        #expect(data.count == 125)
        // Red fastest: entry 1 is (0.25, 0, 0), entry 5 is (0, 0.25, 0).
        #expect(data[1] == "0.250000 0.000000 0.000000")
        #expect(data[5] == "0.000000 0.250000 0.000000")
        let hald = CubeExport.hald(Recipe(), level: 2)
        #expect(hald.width == 8 && hald.height == 8)
    }

    @Test func ffmpegLut3dMatchesLuxRendering() throws {
        guard let ffmpeg = which("ffmpeg") else {
            print("skipping: ffmpeg not found on PATH (CI installs it)")
            return
        }
        let recipe = try eightStepRecipe()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-cube-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = 96, h = 64
        var rng = TestRNG(11)
        var bytes = [UInt8]()
        for y in 0..<h {
            for x in 0..<w {
                bytes += [UInt8((x * 255) / (w - 1)), UInt8((y * 255) / (h - 1)), UInt8(rng.uniform(0, 255.99))]
            }
        }
        let ppm = Data("P6\n\(w) \(h)\n255\n".utf8) + Data(bytes)
        try ppm.write(to: dir.appendingPathComponent("in.ppm"))
        try CubeExport.cube(recipe, size: 65).write(to: dir.appendingPathComponent("r.cube"), atomically: true, encoding: .utf8)
        let p = dir.path
        #expect(try run(ffmpeg, ["-v", "error", "-y", "-i", "\(p)/in.ppm", "\(p)/in.png"]) == 0)
        #expect(try run(ffmpeg, ["-v", "error", "-y", "-i", "\(p)/in.png", "-vf", "lut3d=file=\(p)/r.cube",
                                 "-f", "rawvideo", "-pix_fmt", "rgb24", "\(p)/out.rgb"]) == 0)
        let got = [UInt8](try Data(contentsOf: dir.appendingPathComponent("out.rgb")))
        #expect(got.count == w * h * 3)
        guard got.count == w * h * 3 else { return }
        var img = Image(width: w, height: h)
        let n = w * h
        for i in 0..<n { for c in 0..<3 { img.pixels[c * n + i] = Float(CubeExport.srgbDecode(Double(bytes[3 * i + c]) / 255)) } }
        let lux = Renderer(recipe).render(img)
        var sum = 0.0
        for i in 0..<n { for c in 0..<3 {
            sum += abs(CubeExport.srgbEncode(Double(lux.pixels[c * n + i])) - Double(got[3 * i + c]) / 255)
        } }
        let mae = sum / Double(3 * n)
        print("ffmpeg lut3d (65) vs Lux: MAE = \(mae * 255)/255")
        #expect(mae < 1.0 / 255, "MAE \(mae * 255)/255")
    }
}

@Suite("HALD CLUT export")
struct HaldTests {
    /// Binary PPM (P6), 8- or 16-bit big-endian, from planar values in [0, 1].
    private func ppm(_ img: Image, maxval: Int) -> Data {
        var d = Data("P6\n\(img.width) \(img.height)\n\(maxval)\n".utf8)
        let n = img.planeCount
        for i in 0..<n {
            for c in 0..<3 {
                let v = Int((Double(min(max(img.pixels[c * n + i], 0), 1)) * Double(maxval)).rounded())
                if maxval > 255 { d.append(UInt8(v >> 8)) }
                d.append(UInt8(v & 0xFF))
            }
        }
        return d
    }

    @Test func imageMagickHaldClutMatchesLuxRendering() throws {
        guard let convert = which("convert") else {
            print("skipping: ImageMagick convert not found on PATH")
            return
        }
        let recipe = try eightStepRecipe()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-hald-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = 48, h = 32, n = w * h
        var rng = TestRNG(5)
        var enc = Image(width: w, height: h)
        for i in 0..<(3 * n) { enc.pixels[i] = Float((rng.uniform(0, 255.99)).rounded(.down) / 255) }
        try ppm(enc, maxval: 255).write(to: dir.appendingPathComponent("in.ppm"))
        try ppm(CubeExport.hald(recipe, level: 8), maxval: 65535).write(to: dir.appendingPathComponent("hald.ppm"))
        let p = dir.path
        #expect(try run(convert, ["\(p)/in.ppm", "\(p)/hald.ppm", "-hald-clut", "-depth", "8", "rgb:\(p)/out.rgb"]) == 0)
        let got = [UInt8](try Data(contentsOf: dir.appendingPathComponent("out.rgb")))
        #expect(got.count == 3 * n)
        guard got.count == 3 * n else { return }
        var lin = enc
        for i in 0..<lin.pixels.count { lin.pixels[i] = Float(CubeExport.srgbDecode(Double(enc.pixels[i]))) }
        let lux = Renderer(recipe).render(lin)
        var sum = 0.0
        for i in 0..<n { for c in 0..<3 {
            sum += abs(CubeExport.srgbEncode(Double(lux.pixels[c * n + i])) - Double(got[3 * i + c]) / 255)
        } }
        let mae = sum / Double(3 * n)
        print("ImageMagick -hald-clut (level 8) vs Lux: MAE = \(mae * 255)/255")
        #expect(mae < 1.0 / 255, "MAE \(mae * 255)/255")
    }
}
