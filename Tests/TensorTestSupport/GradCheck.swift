import TensorCore
import XCTest
import Support

/// The outcome of comparing autograd gradients with central differences.
public struct GradCheckReport: CustomStringConvertible, Sendable {
    /// Largest `|analytic − numeric| − (atol + rtol·|numeric|)` over checked elements (≤ 0 passes).
    public let worstExcess: Double
    /// Where the worst element was, with both values.
    public let worst: String
    /// Elements compared.
    public let checked: Int
    /// Whether every checked element was within tolerance.
    public var passed: Bool { worstExcess <= 0 }
    public var description: String { "GradCheckReport(passed: \(passed), checked: \(checked), worst: \(worst))" }
}

/// Compares autograd gradients of `f` with central finite differences in Double.
///
/// The scalar objective is `L = Σ f(inputs) ⊙ W` with a fixed seeded random
/// projection `W ∈ [−1, 1)`, summed in Double. For each checked element
/// `x_i` (all of them, or `maxChecksPerInput` seeded picks per input):
/// `numeric = (L(x + h) − L(x − h)) / (x₊ − x₋)` where `x±` are the Float
/// values actually perturbed (so rounding of `x ± h` is accounted for), and
/// analytic is the gradient from `backward()`. An element passes when
/// `|analytic − numeric| ≤ atol + rtol·|numeric|`.
public func gradCheck(_ inputs: [Tensor], step: Float = 1e-2, atol: Double = 2e-3, rtol: Double = 1e-2,
                      maxChecksPerInput: Int = 48, seed: UInt64 = 0xC0FFEE,
                      _ f: ([Tensor]) -> Tensor) -> GradCheckReport {
    let leaves = inputs.map { $0.detached().requiringGrad() }
    let out = f(leaves)
    let weights = Tensor.uniform(out.shape, low: -1, high: 1, seed: seed)
    (out * weights).sum().backward()
    let analytic = leaves.map { $0.grad?.scalars ?? [Float](repeating: 0, count: $0.count) }

    func objective(_ xs: [Tensor]) -> Double {
        let y = withNoGrad { f(xs) }
        var s = 0.0
        for (a, b) in zip(y.scalars, weights.scalars) { s += Double(a) * Double(b) }
        return s
    }

    var rng = SeededRandom(seed: seed ^ 0x5EED)
    var worstExcess = -Double.infinity, worst = "none", checked = 0
    for (inputIndex, x) in inputs.enumerated() {
        var picks = Array(0..<x.count)
        if picks.count > maxChecksPerInput {
            for i in 0..<maxChecksPerInput { picks.swapAt(i, i + rng.nextInt(below: picks.count - i)) }
            picks = Array(picks.prefix(maxChecksPerInput))
        }
        for i in picks {
            var xs = inputs.map { $0.detached() }
            let x0 = x.scalars[i]
            let xp = x0 + step, xm = x0 - step
            xs[inputIndex].withMutableScalars { $0[i] = xp }
            let lp = objective(xs)
            xs[inputIndex].withMutableScalars { $0[i] = xm }
            let lm = objective(xs)
            let numeric = (lp - lm) / (Double(xp) - Double(xm))
            let a = Double(analytic[inputIndex][i])
            let excess = Swift.abs(a - numeric) - (atol + rtol * Swift.abs(numeric))
            checked += 1
            if excess > worstExcess {
                worstExcess = excess
                worst = "input \(inputIndex) element \(i): analytic \(a), numeric \(numeric)"
            }
        }
    }
    return GradCheckReport(worstExcess: worstExcess, worst: worst, checked: checked)
}

/// Asserts that ``gradCheck(_:step:atol:rtol:maxChecksPerInput:seed:_:)`` passes.
public func assertGradients(_ inputs: [Tensor], step: Float = 1e-2, atol: Double = 2e-3, rtol: Double = 1e-2,
                            maxChecksPerInput: Int = 48, file: StaticString = #filePath, line: UInt = #line,
                            _ f: ([Tensor]) -> Tensor) {
    let report = gradCheck(inputs, step: step, atol: atol, rtol: rtol, maxChecksPerInput: maxChecksPerInput, f)
    XCTAssertTrue(report.passed, "gradient check failed: \(report)", file: file, line: line)
    XCTAssertGreaterThan(report.checked, 0, "gradient check compared nothing", file: file, line: line)
}

/// Moves every element at least `margin` away from each point in `kinks`
/// (where a function is not differentiable), keeping finite differences valid.
public func awayFromKinks(_ t: Tensor, kinks: [Float], margin: Float = 0.05) -> Tensor {
    Tensor(shape: t.shape, scalars: t.scalars.map { v in
        var v = v
        for k in kinks where Swift.abs(v - k) < margin { v = v < k ? k - margin : k + margin }
        return v
    })
}

/// A tensor whose elements are distinct and well separated (a shuffled ramp
/// with spacing `spacing`), for checking max-like ops away from ties.
public func distinctValues(_ shape: [Int], spacing: Float = 0.1, seed: UInt64) -> Tensor {
    var rng = SeededRandom(seed: seed)
    let n = shape.elementCount
    var values = (0..<n).map { Float($0 - n / 2) * spacing }
    for i in stride(from: n - 1, to: 0, by: -1) { values.swapAt(i, rng.nextInt(below: i + 1)) }
    return Tensor(shape: shape, scalars: values)
}
