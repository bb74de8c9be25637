import LuxKernels

// The renderer kernels (LuxKernels) built from recipe steps and filter coefficients.

extension CurveKernel {
    /// The kernel of a tone-curve or colour-curves step, with per-channel gains applied to its input.
    init(_ step: RecipeStep, inputGains: SIMD3<Double> = SIMD3(1, 1, 1), positiveInput: Bool = false) {
        let v = step.values[...]
        if step.filter == ToneCurve.id {
            let w = CurveMath.normalised(Array(v))
            self.init(r: w, g: w, b: w, inputGains: inputGains, positiveInput: positiveInput)
            return
        }
        precondition(step.filter == ColorCurves.id, "CurveKernel: not a curve step")
        self.init(r: CurveMath.normalised(Array(v[0..<8])), g: CurveMath.normalised(Array(v[8..<16])),
                  b: CurveMath.normalised(Array(v[16..<24])), inputGains: inputGains, positiveInput: positiveInput)
    }
}

extension ContrastKernel {
    init(_ params: [Double]) { self.init(amount: Contrast.coefficients(params)[0]) }
}

extension BlackWhiteKernel {
    init(_ params: [Double]) { self.init(amount: BlackAndWhite.coefficients(params)[0]) }
}

extension SaturationKernel {
    init(_ params: [Double]) { self.init(amount: Saturation.coefficients(params)[0]) }
}
