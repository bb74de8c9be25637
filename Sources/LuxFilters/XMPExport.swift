import Foundation

/// Adobe Camera Raw / Lightroom XMP sidecar export (namespace `crs:`,
/// http://ns.adobe.com/camera-raw-settings/1.0/, process version 2012 = "11.0").
///
/// Mapping (Lux value → crs property): exposure ev → Exposure2012; contrast α → Contrast2012 = 100α;
/// highlightsShadows h, s → Highlights2012 = 100h, Shadows2012 = 100s; temperature K, tint →
/// Temperature, Tint (WhiteBalance = Custom); vibrance v → Vibrance = 100v; saturation s →
/// Saturation = 100s; toneCurve → ToneCurvePV2012 (9 points at x = 255·i/8); colorCurves →
/// ToneCurvePV2012Red/Green/Blue; blackWhite α = 1 → ConvertToGrayscale. Camera Raw applies its
/// own fixed order and slider responses, so the look is approximate. Gamma, whiteBalance gains,
/// partial black & white and repeated filters are not mapped: they are listed in an XML comment
/// and returned as warnings.
public enum XMPExport {
    public struct Result: Sendable {
        public let xml: String
        public let warnings: [String]
    }

    public static func export(_ recipe: Recipe) -> Result {
        var attrs: [(String, String)] = [("crs:Version", "15.0"), ("crs:ProcessVersion", "11.0")]
        var seqs: [(String, [String])] = []
        var warnings: [String] = []
        var seen = Set<String>()
        for step in recipe.steps {
            let v = step.values
            if seen.contains(step.filter) {
                warnings.append("\(step.description): repeated \(step.filter) not mapped (only the first is exported)")
                continue
            }
            seen.insert(step.filter)
            switch step.filter {
            case Exposure.id: attrs.append(("crs:Exposure2012", num(v[0], signed: true)))
            case Contrast.id: attrs.append(("crs:Contrast2012", num(100 * v[0], signed: true)))
            case HighlightsShadows.id:
                attrs.append(("crs:Highlights2012", num(100 * v[0], signed: true)))
                attrs.append(("crs:Shadows2012", num(100 * v[1], signed: true)))
            case TemperatureTint.id:
                attrs.append(("crs:WhiteBalance", "Custom"))
                attrs.append(("crs:Temperature", num(v[0], signed: false)))
                attrs.append(("crs:Tint", num(v[1], signed: true)))
            case Vibrance.id: attrs.append(("crs:Vibrance", num(100 * v[0], signed: true)))
            case Saturation.id: attrs.append(("crs:Saturation", num(100 * v[0], signed: true)))
            case ToneCurve.id:
                attrs.append(("crs:ToneCurveName2012", "Custom"))
                seqs.append(("crs:ToneCurvePV2012", curvePoints(v)))
            case ColorCurves.id:
                seqs.append(("crs:ToneCurvePV2012Red", curvePoints(Array(v[0..<8]))))
                seqs.append(("crs:ToneCurvePV2012Green", curvePoints(Array(v[8..<16]))))
                seqs.append(("crs:ToneCurvePV2012Blue", curvePoints(Array(v[16..<24]))))
            case BlackAndWhite.id where v[0] >= 0.999:
                attrs.append(("crs:ConvertToGrayscale", "True"))
            default:
                warnings.append("\(step.description): no Camera Raw equivalent, not mapped")
            }
        }
        attrs.append(("crs:HasSettings", "True"))
        var x = "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"Lux\">\n"
        x += "  <!-- Lux recipe: \(escapeComment(recipe.description)) -->\n"
        if !warnings.isEmpty {
            x += "  <!-- Not mapped to Camera Raw:\n" + warnings.map { "       \(escapeComment($0))\n" }.joined() + "  -->\n"
        }
        x += "  <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        x += "    <rdf:Description rdf:about=\"\"\n      xmlns:crs=\"http://ns.adobe.com/camera-raw-settings/1.0/\""
        for (k, v) in attrs { x += "\n      \(k)=\"\(v)\"" }
        x += ">\n"
        for (name, pts) in seqs {
            x += "      <\(name)>\n        <rdf:Seq>\n"
            for p in pts { x += "          <rdf:li>\(p)</rdf:li>\n" }
            x += "        </rdf:Seq>\n      </\(name)>\n"
        }
        x += "    </rdf:Description>\n  </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>\n"
        return Result(xml: x, warnings: warnings)
    }

    /// "x, y" points on the 0–255 scale at x = 255·i/8 (4 decimals; integral values print as integers).
    static func curvePoints(_ knots: [Double]) -> [String] {
        CurveMath.points(knots).enumerated().map { i, y in "\(num(255 * Double(i) / 8, signed: false)), \(num(255 * y, signed: false))" }
    }

    static func num(_ v: Double, signed: Bool) -> String {
        let r = (v * 10000).rounded() / 10000
        var s = r == r.rounded() ? String(Int(r)) : String(format: "%.4f", r)
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() } }
        if s == "-0" { s = "0" }
        return signed && r > 0 ? "+" + s : s
    }

    static func escapeComment(_ s: String) -> String { s.replacingOccurrences(of: "--", with: "- -") }
}
