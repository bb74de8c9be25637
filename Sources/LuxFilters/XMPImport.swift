import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the `crs:` settings of an XMP sidecar back into a recipe (the inverse of ``XMPExport``
/// for the mapped filters). Steps come out in a fixed order: temperature, exposure, contrast,
/// highlightsShadows, toneCurve, colorCurves, vibrance, saturation, blackWhite. Identity values
/// produce no step; values outside Lux's ranges are clamped with a warning.
public enum XMPImport {
    public static func recipe(fromXMP text: String) throws -> (recipe: Recipe, warnings: [String]) {
        let p = XMLParser(data: Data(text.utf8))
        let d = CRSCollector()
        p.delegate = d
        guard p.parse() else {
            throw FilterError.badXMP(p.parserError.map { "\($0.localizedDescription) at line \(p.lineNumber)" } ?? "parse failed")
        }
        guard d.sawCRS else { throw FilterError.badXMP("no Camera Raw (crs:) settings found") }
        var warnings: [String] = []
        var steps: [RecipeStep] = []
        func num(_ k: String) -> Double? { d.props[k].flatMap { Double($0.hasPrefix("+") ? String($0.dropFirst()) : $0) } }
        func add(_ f: any Filter.Type, _ values: [Double]) throws {
            if values == f.identityParameters { return }
            var v = values
            for (i, s) in f.parameters.enumerated() where !s.range.contains(v[i]) {
                let c = min(max(v[i], s.range.lowerBound), s.range.upperBound)
                warnings.append("\(f.id).\(s.name) = \(v[i]) clamped to \(c)")
                v[i] = c
            }
            steps.append(try RecipeStep(f.id, v))
        }
        if num("crs:Temperature") != nil || num("crs:Tint") != nil {
            try add(TemperatureTint.self, [num("crs:Temperature") ?? 6500, num("crs:Tint") ?? 0])
        }
        if let e = num("crs:Exposure2012") { try add(Exposure.self, [e]) }
        if let c = num("crs:Contrast2012") { try add(Contrast.self, [c / 100]) }
        if num("crs:Highlights2012") != nil || num("crs:Shadows2012") != nil {
            try add(HighlightsShadows.self, [(num("crs:Highlights2012") ?? 0) / 100, (num("crs:Shadows2012") ?? 0) / 100])
        }
        if let pts = d.seqs["crs:ToneCurvePV2012"] { try add(ToneCurve.self, try knots(pts)) }
        let chans = ["Red", "Green", "Blue"].map { d.seqs["crs:ToneCurvePV2012\($0)"] }
        if chans.contains(where: { $0 != nil }) {
            try add(ColorCurves.self, try chans.flatMap { try $0.map(knots) ?? [Double](repeating: 1, count: 8) })
        }
        if let v = num("crs:Vibrance") { try add(Vibrance.self, [v / 100]) }
        if let s = num("crs:Saturation") { try add(Saturation.self, [s / 100]) }
        if d.props["crs:ConvertToGrayscale"]?.lowercased() == "true" { try add(BlackAndWhite.self, [1]) }
        return (Recipe(steps), warnings)
    }

    /// Knots (segment slopes, mean 1) of a point curve on the 0–255 scale, resampled at x = 255·i/8.
    static func knots(_ pts: [String]) throws -> [Double] {
        let xy = try pts.map { s -> (Double, Double) in
            let c = s.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard c.count == 2, let x = c[0], let y = c[1] else { throw FilterError.badXMP("bad curve point '\(s)'") }
            return (x, y)
        }.sorted { $0.0 < $1.0 }
        guard xy.count >= 2 else { throw FilterError.badXMP("curve needs at least 2 points") }
        func at(_ x: Double) -> Double {
            if x <= xy[0].0 { return xy[0].1 }
            for j in 1..<xy.count where x <= xy[j].0 {
                let (x0, y0) = xy[j - 1], (x1, y1) = xy[j]
                return x1 == x0 ? y1 : y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            }
            return xy.last!.1
        }
        let ys = (0...8).map { at(255 * Double($0) / 8) }
        let slopes = (0..<8).map { max(ys[$0 + 1] - ys[$0], 1e-6) }
        let mean = slopes.reduce(0, +) / 8
        return slopes.map { $0 / mean }
    }
}

/// Collects crs: attributes, simple crs: elements and crs: rdf:Seq lists.
final class CRSCollector: NSObject, XMLParserDelegate {
    var props: [String: String] = [:]
    var seqs: [String: [String]] = [:]
    var sawCRS = false
    private var current: String?
    private var text = ""
    private var inLi = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        for (k, v) in attributes where k.hasPrefix("crs:") { props[k] = v; sawCRS = true }
        if attributes.keys.contains("xmlns:crs") { sawCRS = true }
        if name.hasPrefix("crs:") { current = name; text = ""; sawCRS = true }
        if name == "rdf:li" { inLi = true; text = "" }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "rdf:li", let c = current {
            seqs[c, default: []].append(text.trimmingCharacters(in: .whitespacesAndNewlines)); inLi = false
        } else if name.hasPrefix("crs:") {
            if seqs[name] == nil { props[name] = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            current = nil
        }
    }
}
