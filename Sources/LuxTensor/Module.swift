/// A layer or model with named, trainable parameters (e.g. "conv1.weight").
/// Names are the keys in safetensors files.
public protocol Module: AnyObject {
    /// All parameters, with dotted names, in a stable order.
    func namedParameters() -> [(String, Tensor)]
}

extension Module {
    public func parameters() -> [Tensor] { namedParameters().map { $0.1 } }
    public func zeroGrad() { for p in parameters() { p.zeroGrad() } }
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }
}
