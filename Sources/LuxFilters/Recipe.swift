import Foundation

/// Errors from recipes, parameter parsing and exports.
public enum FilterError: Error, CustomStringConvertible, Equatable {
    case unknownFilter(String)
    case unknownParameter(filter: String, name: String)
    case outOfRange(filter: String, name: String, value: Double, range: ClosedRange<Double>)
    case badSetting(String)
    case unsupportedVersion(Int)
    case badXMP(String)
    public var description: String {
        switch self {
        case .unknownFilter(let id): "unknown filter '\(id)' (known: \(FilterRegistry.all.map { $0.id }.joined(separator: ", ")))"
        case .unknownParameter(let f, let n): "filter '\(f)' has no parameter '\(n)' (has: \(FilterRegistry.filter(id: f)?.parameters.map(\.name).joined(separator: ", ") ?? ""))"
        case .outOfRange(let f, let n, let v, let r): "\(f).\(n) = \(v) is outside \(r.lowerBound)...\(r.upperBound)"
        case .badSetting(let s): "cannot parse setting '\(s)': expected filter=value or filter.param=value"
        case .unsupportedVersion(let v): "recipe version \(v) is newer than this Lux (reads up to \(Recipe.currentVersion))"
        case .badXMP(let s): "invalid XMP: \(s)"
        }
    }
}

/// One step of a recipe: a filter and its parameter values (declaration order).
public struct RecipeStep: Equatable, Sendable {
    public var filter: String
    public var values: [Double]
    public init(_ filter: String, _ values: [Double]) throws {
        guard let f = FilterRegistry.filter(id: filter) else { throw FilterError.unknownFilter(filter) }
        guard values.count == f.parameters.count else { throw FilterError.unknownParameter(filter: filter, name: "#\(values.count)") }
        for (s, v) in zip(f.parameters, values) where !s.range.contains(v) {
            throw FilterError.outOfRange(filter: filter, name: s.name, value: v, range: s.range)
        }
        self.filter = filter; self.values = values
    }
    public var type: any Filter.Type { FilterRegistry.filter(id: filter)! }
    public var description: String { type.describe(values) }
}

extension RecipeStep: Codable {
    enum Keys: String, CodingKey { case filter, params }
    /// JSON: {"filter": "exposure", "params": {"ev": 0.7}}; missing parameters take their identity value.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let id = try c.decode(String.self, forKey: .filter)
        guard let f = FilterRegistry.filter(id: id) else { throw FilterError.unknownFilter(id) }
        let dict = try c.decodeIfPresent([String: Double].self, forKey: .params) ?? [:]
        for k in dict.keys where !f.parameters.contains(where: { $0.name == k }) {
            throw FilterError.unknownParameter(filter: id, name: k)
        }
        try self.init(id, f.parameters.map { dict[$0.name] ?? $0.identity })
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(filter, forKey: .filter)
        try c.encode(Dictionary(uniqueKeysWithValues: zip(type.parameters.map(\.name), values)), forKey: .params)
    }
}

/// An edit recipe: filters applied in order. JSON: {"version": 1, "steps": [...]}.
public struct Recipe: Codable, Equatable, Sendable, CustomStringConvertible {
    public static let currentVersion = 1
    public var version: Int
    public var steps: [RecipeStep]
    public init(_ steps: [RecipeStep] = []) { version = Recipe.currentVersion; self.steps = steps }

    enum Keys: String, CodingKey { case version, steps }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let v = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        guard v <= Recipe.currentVersion else { throw FilterError.unsupportedVersion(v) }
        steps = try c.decode([RecipeStep].self, forKey: .steps)
        version = v
        try Recipe.migrate(&self)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(version, forKey: .version)
        try c.encode(steps, forKey: .steps)
    }
    /// Migration hook: upgrades an older recipe in place to ``currentVersion``
    /// (version 1 is the first format; add `case` arms here when the format changes).
    static func migrate(_ r: inout Recipe) throws {
        while r.version < currentVersion {
            switch r.version {
            default: r.version += 1
            }
        }
    }

    /// "exposure +0.70 EV; saturation +0.20".
    public var description: String { steps.isEmpty ? "(identity)" : steps.map(\.description).joined(separator: "; ") }

    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(self)
    }
    public static func fromJSON(_ data: Data) throws -> Recipe { try JSONDecoder().decode(Recipe.self, from: data) }

    /// Parses a `--set` string: `exposure=+0.7`, `saturation=0.2` (single-parameter filters) or
    /// `highlightsShadows.shadows=0.3`. Repeated settings of the same filter update one step.
    public mutating func set(_ setting: String) throws {
        let parts = setting.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let value = Double(parts[1].hasPrefix("+") ? String(parts[1].dropFirst()) : parts[1]) else {
            throw FilterError.badSetting(setting)
        }
        let key = parts[0].split(separator: ".").map(String.init)
        guard let f = FilterRegistry.filter(id: key[0]) else { throw FilterError.unknownFilter(key[0]) }
        let index: Int
        if key.count == 1 {
            guard f.parameters.count == 1 else { throw FilterError.badSetting(setting) }
            index = 0
        } else {
            guard let i = f.parameters.firstIndex(where: { $0.name == key[1] }) else {
                throw FilterError.unknownParameter(filter: f.id, name: key[1])
            }
            index = i
        }
        var values = steps.first(where: { $0.filter == f.id })?.values ?? f.identityParameters
        values[index] = value
        let step = try RecipeStep(f.id, values)
        if let i = steps.firstIndex(where: { $0.filter == f.id }) { steps[i] = step } else { steps.append(step) }
    }

    /// Same filters in the same order and values within `tolerance` (curve knots compared after
    /// normalisation to mean 1, since only their ratios matter).
    public func isApproximatelyEqual(to o: Recipe, tolerance: Double = 1e-6) -> Bool {
        guard steps.count == o.steps.count else { return false }
        for (a, b) in zip(steps, o.steps) {
            guard a.filter == b.filter else { return false }
            let (va, vb) = (a.filter == ToneCurve.id || a.filter == ColorCurves.id) ? (Recipe.canonicalKnots(a.values), Recipe.canonicalKnots(b.values)) : (a.values, b.values)
            for (x, y) in zip(va, vb) where Swift.abs(x - y) > tolerance * Swift.max(1, Swift.abs(x)) { return false }
        }
        return true
    }
    /// Knots scaled per group of 8 to mean 1.
    static func canonicalKnots(_ v: [Double]) -> [Double] {
        stride(from: 0, to: v.count, by: 8).flatMap { o -> [Double] in
            let g = Array(v[o..<o + 8]); let m = g.reduce(0, +) / 8
            return g.map { $0 / m }
        }
    }
}

extension RecipeStep {
    /// A short label for pictures: the filter and its first parameter, signed, 2 decimals
    /// ("exposure +0.70"); the filter alone when it has no parameter.
    public var label: String {
        values.first.map { "\(filter) " + String(format: "%+.2f", $0) } ?? filter
    }
}

extension Recipe {
    /// An 8-step recipe in the order the agent emits steps, touching every renderer kernel: a per-channel
    /// run (exposure, gamma, white balance: one gamma pass with the gains folded in), tone curve, two
    /// cross-channel steps (saturation, contrast), colour curves, black & white. What `lux-bench filters`
    /// times and what the renderer tests run.
    public static func eightStepExample() throws -> Recipe {
        Recipe([
            try RecipeStep("exposure", [0.7]),
            try RecipeStep("gamma", [0.8]),
            try RecipeStep("whiteBalance", [0.1, -0.15]),
            try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0]),
            try RecipeStep("saturation", [0.2]),
            try RecipeStep("contrast", [0.3]),
            try RecipeStep("colorCurves", [1.02, 0.98, 1.0, 1.03, 0.97, 1.0, 1.01, 0.99,
                                           1.0, 1.0, 1.02, 0.98, 1.0, 1.0, 1.01, 0.99,
                                           0.97, 1.03, 1.0, 1.0, 0.99, 1.01, 1.0, 1.0]),
            try RecipeStep("blackWhite", [0.2]),
        ])
    }
}
