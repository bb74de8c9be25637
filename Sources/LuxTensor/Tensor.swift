#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Float32 tensor with contiguous row-major storage and an optional place on the autodiff tape.
///
/// Layout convention for images and activations: **NCHW** (batch, channels, height, width). It is
/// oneDNN's plain format (reorders to its blocked formats are one call), matches PyTorch (so weights
/// and benchmark models line up one to one), and per-channel planes are contiguous like
/// `LuxImage.Image`, so converting an image to a tensor is a copy, not a transpose.
///
/// Tensors are reference types: an op's result remembers its parents and a backward rule, and
/// ``backward()`` walks that graph in reverse topological order accumulating `grad`.
public final class Tensor: @unchecked Sendable {
    public let shape: [Int]
    /// The values, row-major.
    public var data: [Float]
    /// Accumulated gradient of the loss with respect to this tensor (same count as `data`), or nil.
    public var grad: [Float]?
    /// Whether gradients flow to (and accumulate in) this tensor. Parameters set this to true.
    public var requiresGrad: Bool
    /// Name for parameters (used in safetensors files and error messages).
    public var name: String?

    /// Inputs of the op that produced this tensor (empty for leaves).
    public internal(set) var parents: [Tensor] = []
    /// Given the gradient of the loss w.r.t. this tensor, accumulates gradients into `parents`.
    internal var backwardRule: ((Tensor) -> Void)?

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    public init(shape: [Int], data: [Float], requiresGrad: Bool = false, name: String? = nil) {
        precondition(shape.reduce(1, *) == data.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) values, got \(data.count)")
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
        self.name = name
    }

    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    public convenience init(scalar: Float, requiresGrad: Bool = false) {
        self.init(shape: [], data: [scalar], requiresGrad: requiresGrad)
    }

    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(data.count == 1, "item needs a one-element tensor, shape is \(shape)")
        return data[0]
    }

    /// A new leaf holding a copy of the values, cut from the tape.
    public func detached() -> Tensor { Tensor(shape: shape, data: data) }

    /// Adds `g` into this tensor's gradient.
    public func accumulateGrad(_ g: [Float]) {
        precondition(g.count == data.count, "gradient size \(g.count) does not match tensor size \(data.count)")
        if grad == nil {
            grad = g
        } else {
            grad!.withUnsafeMutableBufferPointer { dst in
                g.withUnsafeBufferPointer { src in
                    for i in 0..<src.count { dst[i] += src[i] }
                }
            }
        }
    }

    public func zeroGrad() { grad = nil }

    /// Records the result of an op. When gradient recording is off, or no parent needs a gradient,
    /// the result is a plain leaf and `backward` is dropped.
    ///
    /// `backward` receives the result tensor (whose `grad` is set) and must call
    /// `accumulateGrad` on each parent that `requiresGrad`.
    public static func result(shape: [Int], data: [Float], parents: [Tensor],
                              backward: @escaping (Tensor) -> Void) -> Tensor {
        let out = Tensor(shape: shape, data: data)
        if GradMode.isEnabled && parents.contains(where: { $0.requiresGrad }) {
            out.requiresGrad = true
            out.parents = parents
            out.backwardRule = backward
        }
        return out
    }

    /// Reverse-mode differentiation from this scalar: fills `grad` of every tensor on the tape that
    /// requires it. Intermediate results keep their gradients (useful in tests); parameters
    /// accumulate across calls until `zeroGrad`.
    public func backward() {
        precondition(data.count == 1, "backward() needs a scalar loss, shape is \(shape)")
        backward(seed: [1])
    }

    /// Reverse-mode differentiation with an explicit output gradient.
    public func backward(seed: [Float]) {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        // Iterative depth-first post-order (no recursion limit on long tapes).
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            if !visited.insert(ObjectIdentifier(t)).inserted { continue }
            stack.append((t, true))
            for p in t.parents where p.requiresGrad && !visited.contains(ObjectIdentifier(p)) {
                stack.append((p, false))
            }
        }
        accumulateGrad(seed)
        for t in order.reversed() {
            guard let rule = t.backwardRule, t.grad != nil else { continue }
            rule(t)
        }
    }
}

/// Whether ops record themselves on the tape. Off for inference.
///
/// The flag is per thread (POSIX thread-local storage), so one thread running inference inside
/// ``withoutGrad(_:)`` never turns recording off for another thread that is training.
/// Default on every thread: enabled.
public enum GradMode {
    /// Thread-local slot: nil (the default) means enabled, a non-nil marker means disabled.
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        let rc = pthread_key_create(&k, nil)
        precondition(rc == 0, "pthread_key_create failed (\(rc))")
        return k
    }()
    private static var disabledMarker: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: 1) }

    public static var isEnabled: Bool { pthread_getspecific(key) == nil }

    private static func setEnabled(_ on: Bool) {
        pthread_setspecific(key, on ? nil : disabledMarker)
    }

    /// Runs `body` with gradient recording off (inference) on this thread, restoring the previous mode after.
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        let previous = isEnabled
        setEnabled(false)
        defer { setEnabled(previous) }
        return try body()
    }

    /// Runs `body` with gradient recording on for this thread, restoring the previous mode after.
    public static func withGrad<T>(_ body: () throws -> T) rethrows -> T {
        let previous = isEnabled
        setEnabled(true)
        defer { setEnabled(previous) }
        return try body()
    }
}
