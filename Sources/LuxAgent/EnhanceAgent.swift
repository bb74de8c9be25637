import Foundation
import LuxImage
import LuxFilters

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
public final class EnhanceAgent: @unchecked Sendable {
    /// The model shipped in the package's resources.
    public static func loadDefault() throws -> EnhanceAgent {
        throw AgentError.noModel("no embedded default model in this build")
    }

    /// Loads a model from a safetensors file written by `lux train agent`.
    public init(contentsOf url: URL) throws {
        throw AgentError.noModel("\(url.path): agent model loading not implemented yet")
    }

    /// Decides the recipe for `image` (any size; the agent looks at a 64 px thumbnail).
    public func recipe(for image: Image, seed: UInt64? = nil) -> (recipe: Recipe, thumbnails: [Image]) {
        (Recipe(), [image.thumbnail(maxSide: 64)])
    }

    /// Decides the recipe and renders it at full resolution.
    public func enhance(_ image: Image, seed: UInt64? = nil) -> EnhanceResult {
        let (recipe, thumbs) = self.recipe(for: image, seed: seed)
        return EnhanceResult(image: Renderer(recipe).render(image), recipe: recipe, thumbnails: thumbs)
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
