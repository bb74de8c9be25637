import Foundation
import LuxImage
import LuxFilters
import LuxTensor

/// What `lux enhance` gets back for one photo.
public struct EnhanceResult: Sendable {
    /// The edited photo, full resolution, working space (linear, sRGB primaries).
    public var image: Image
    /// The edit, readable and re-appliable (`lux apply --recipe`).
    public var recipe: Recipe
    /// The agent's view: its thumbnail before the first step and after each step (working space).
    public var thumbnails: [Image]

    public init(image: Image, recipe: Recipe, thumbnails: [Image]) {
        self.image = image
        self.recipe = recipe
        self.thumbnails = thumbnails
    }
}

/// The white-box editing agent: decides a recipe on a 64 px thumbnail, renders it at full resolution.
///
/// CONTRACT (shared by `lux enhance`, `lux eval` and the benchmark; the agent implementation fills it in):
/// - `recipe(for:seed:)`: deterministic when `seed` is nil (no dropout); with a seed, dropout samples
///   alternative edits (`--variants`), reproducibly for that seed.
/// - input and output images are in the working space (linear light, sRGB primaries).
///
/// Design: Lux recipes map linear working space to linear working space (the paper's agent maps
/// linear input to a display-referred result); the output is encoded with the sRGB curve only when
/// written. Inference: thumbnail of the whole frame (``AgentState/thumbnail(_:side:)``), then up to
/// `maxSteps` steps, each taking the arg-max action among the filters not used yet and stop; stop
/// ends the edit early. Raw head outputs become parameter values through each filter's declared
/// ``LuxFilters/ParamSpec/map(_:)``.
public final class EnhanceAgent: @unchecked Sendable {
    public let config: AgentConfig
    public let actor: AgentActor
    let filterTypes: [any Filter.Type]
    private let lock = NSLock()

    /// The model shipped in the package's resources.
    public static func loadDefault() throws -> EnhanceAgent {
        guard let url = SafeTensors.bundledModel("agent-default", in: .module) else {
            throw AgentError.noModel("no embedded default model in this build")
        }
        return try EnhanceAgent(contentsOf: url)
    }

    /// Loads a model from a safetensors file written by `lux train agent`.
    public init(contentsOf url: URL) throws {
        let file: SafeTensors.File
        do { file = try SafeTensors.read(from: url) } catch { throw AgentError.badModel("\(url.path): \(error)") }
        config = try AgentConfig(metadata: file.metadata)
        filterTypes = try config.filterTypes()
        var rng = RNG(seed: 0)
        actor = AgentActor(config: config, paramCounts: filterTypes.map { $0.parameters.count }, rng: &rng)
        do { try actor.load(from: url, strict: false) } catch { throw AgentError.badModel("\(url.path): \(error)") }
        let stored = Set(file.tensors.map(\.name))
        if let missing = actor.namedParameters().first(where: { !stored.contains($0.0) }) {
            throw AgentError.badModel("\(url.path): missing tensor \(missing.0)")
        }
    }

    /// An agent around an actor in memory (training, tests).
    public init(actor: AgentActor) throws {
        config = actor.config
        filterTypes = try actor.config.filterTypes()
        self.actor = actor
    }

    /// Decides the recipe for `image` (any size; the agent looks at a 64 px thumbnail).
    public func recipe(for image: Image, seed: UInt64? = nil) -> (recipe: Recipe, thumbnails: [Image]) {
        lock.lock(); defer { lock.unlock() }
        var thumb = AgentState.thumbnail(image, side: config.thumbnail)
        thumb.colorSpace = .working
        var thumbs = [thumb]
        var steps: [RecipeStep] = []
        var used = [Bool](repeating: false, count: config.filters.count)
        var rng: RNG? = seed.map { RNG(seed: $0) }
        GradMode.withoutGrad {
            for step in 0..<config.maxSteps {
                let state = AgentState.tensor(images: AgentState.tensor(thumb), step: step, used: [used], config: config)
                let (raw, logits) = actor(state, dropout: &rng)
                var best = config.stopAction, bestLogit = logits.data[config.stopAction]
                for f in 0..<config.filters.count where !used[f] && logits.data[f] > bestLogit { best = f; bestLogit = logits.data[f] }
                if best == config.stopAction { break }
                used[best] = true
                let specs = filterTypes[best].parameters
                let values = zip(specs, raw[best].data).map { $0.map(Double($1)) }
                guard let rs = try? RecipeStep(config.filters[best], values) else { break }
                steps.append(rs)
                thumb = Renderer(Recipe([rs])).render(thumb)
                thumbs.append(thumb)
            }
        }
        return (Recipe(steps), thumbs)
    }

    /// Decides the recipe and renders it at full resolution: working-space values, or with
    /// `output: .sRGB` display values (the sRGB curve applied in the same pass).
    public func enhance(_ image: Image, seed: UInt64? = nil, output: Renderer.Output = .linear) -> EnhanceResult {
        let (recipe, thumbs) = self.recipe(for: image, seed: seed)
        return EnhanceResult(image: Renderer(recipe, output: output).render(image), recipe: recipe, thumbnails: thumbs)
    }
}

/// Errors from loading or running the agent; `description` is one line for the CLI.
public enum AgentError: Error, CustomStringConvertible, Equatable {
    case noModel(String)
    case badModel(String)

    public var description: String {
        switch self {
        case .noModel(let s): s
        case .badModel(let s): "invalid agent model: \(s)"
        }
    }
}
