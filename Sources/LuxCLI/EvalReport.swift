import Foundation

/// Scores of `lux eval`: per method, the mean over pairs of PSNR (dB, sRGB-encoded values in [0, 1]),
/// SSIM (Rec. 709 luminance of the sRGB-encoded values, ``ImageMetrics/ssim``) and mean CIEDE2000,
/// overall and per exposure group. Printed as a table or encoded as JSON.
public struct EvalReport: Codable, Sendable, Equatable {
    /// One method's mean scores over `count` pairs (nil scores when unavailable).
    public struct Row: Codable, Sendable, Equatable {
        public var method: String
        public var available: Bool
        public var note: String?
        public var count: Int
        public var psnr: Double?
        public var ssim: Double?
        public var deltaE00: Double?
    }

    /// A table: all pairs ("all") or one exposure error ("EV -1.5").
    public struct Group: Codable, Sendable, Equatable {
        public var label: String
        public var pairs: Int
        public var rows: [Row]
    }

    public var source: String
    public var groups: [Group]

    /// The tables as printed by `lux eval`.
    public func table() -> String {
        var lines: [String] = []
        for (i, g) in groups.enumerated() {
            if i > 0 { lines.append("") }
            lines.append(g.label == "all" ? "\(source): \(g.pairs) pairs" : "\(g.label) (\(g.pairs) pairs)")
            lines.append(pad("method", 20) + lpad("PSNR dB", 9) + lpad("SSIM", 8) + lpad("ΔE00", 8))
            for r in g.rows {
                if r.available, let p = r.psnr, let s = r.ssim, let d = r.deltaE00 {
                    lines.append(pad(r.method, 20) + lpad(String(format: "%.2f", p), 9)
                                 + lpad(String(format: "%.4f", s), 8) + lpad(String(format: "%.2f", d), 8))
                } else {
                    lines.append(pad(r.method, 20) + "  unavailable" + (r.note.map { ": \($0)" } ?? ""))
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// JSON for scripts (sorted keys; an infinite PSNR of identical images is written as "inf").
    public func json() throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try enc.encode(self), as: UTF8.self)
    }

    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}

/// Sums of per-pair scores, turned into ``EvalReport`` rows.
struct EvalAccumulator {
    struct Sum { var n = 0; var psnr = 0.0; var ssim = 0.0; var de = 0.0 }
    /// Method names in row order, with a note when the method is unavailable.
    var methods: [(name: String, unavailable: String?)] = []
    /// [group label: [method: sums]]; group "all" plus one per EV.
    var sums: [String: [String: Sum]] = [:]
    var pairCounts: [String: Int] = [:]
    var evOfGroup: [String: Float] = [:]

    mutating func addPair(group: String?, ev: Float?) {
        pairCounts["all", default: 0] += 1
        if let group { pairCounts[group, default: 0] += 1; evOfGroup[group] = ev }
    }

    mutating func add(method: String, group: String?, psnr: Double, ssim: Double, deltaE: Double) {
        for g in ["all"] + (group.map { [$0] } ?? []) {
            var s = sums[g, default: [:]][method, default: Sum()]
            s.n += 1; s.psnr += psnr; s.ssim += ssim; s.de += deltaE
            sums[g, default: [:]][method] = s
        }
    }

    func report(source: String) -> EvalReport {
        let labels = ["all"] + evOfGroup.keys.sorted { evOfGroup[$0]! < evOfGroup[$1]! }
        let groups = labels.map { label in
            EvalReport.Group(label: label, pairs: pairCounts[label] ?? 0, rows: methods.map { m in
                if let note = m.unavailable {
                    return EvalReport.Row(method: m.name, available: false, note: note, count: 0)
                }
                let s = sums[label]?[m.name] ?? Sum()
                let n = Double(max(1, s.n))
                return EvalReport.Row(method: m.name, available: s.n > 0, note: s.n > 0 ? nil : "no pairs", count: s.n,
                                      psnr: s.n > 0 ? s.psnr / n : nil, ssim: s.n > 0 ? s.ssim / n : nil,
                                      deltaE00: s.n > 0 ? s.de / n : nil)
            })
        }
        return EvalReport(source: source, groups: groups)
    }
}
