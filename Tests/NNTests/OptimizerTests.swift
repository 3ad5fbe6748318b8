import Foundation
import NN
import TensorCore
import TensorTestSupport
import XCTest

final class OptimizerTests: XCTestCase {
    /// Runs `steps` updates of a rule on f(p) = Σ c·p² (gradient 2c·p).
    func run<R: UpdateRule>(_ rule: R, lr: Float, wd: Float, steps: Int) -> [Float] {
        let p = Parameter(Tensor(shape: [3], scalars: [1, -2, 0.5]))
        let c = Tensor(shape: [3], scalars: [1, 0.5, 2])
        let opt = Optimizer(rule, parameters: [p], learningRate: lr, weightDecay: wd)
        for _ in 0..<steps {
            opt.zeroGrad()
            (p.value.square() * c).sum().backward()
            opt.step()
        }
        return p.value.scalars
    }

    func testPlainSGDStep() {
        XCTAssertEqual(run(SGD(), lr: 0.1, wd: 0, steps: 1), [0.8, -1.8, 0.3])
    }

    func testSGDMomentumNesterovAndWeightDecayMatchScalarRecurrence() {
        for nesterov in [false, true] {
            var p: [Double] = [1, -2, 0.5], v: [Double] = [0, 0, 0]
            let c: [Double] = [1, 0.5, 2]
            for step in 0..<5 {
                for i in 0..<3 {
                    let g = 2 * c[i] * p[i] + 0.01 * p[i]
                    v[i] = step == 0 ? g : 0.9 * v[i] + g
                    p[i] -= 0.05 * (nesterov ? g + 0.9 * v[i] : v[i])
                }
            }
            assertClose(run(SGD(momentum: 0.9, nesterov: nesterov), lr: 0.05, wd: 0.01, steps: 5), p.map(Float.init), atol: 1e-5)
        }
    }

    func testAdamAndAdamWMatchScalarRecurrence() {
        for decoupled in [false, true] {
            var p: [Double] = [1, -2, 0.5], m: [Double] = [0, 0, 0], v: [Double] = [0, 0, 0]
            let c: [Double] = [1, 0.5, 2], lr = 0.01, wd = 0.1
            for t in 1...6 {
                for i in 0..<3 {
                    if decoupled { p[i] *= 1 - lr * wd }
                    var g = 2 * c[i] * p[i]
                    if !decoupled { g += wd * p[i] }
                    m[i] = 0.9 * m[i] + 0.1 * g
                    v[i] = 0.999 * v[i] + 0.001 * g * g
                    let mh = m[i] / (1 - Foundation.pow(0.9, Double(t))), vh = v[i] / (1 - Foundation.pow(0.999, Double(t)))
                    p[i] -= lr * mh / (vh.squareRoot() + 1e-8)
                }
            }
            let rule = decoupled ? Adam.adamW() : Adam()
            assertClose(run(rule, lr: 0.01, wd: 0.1, steps: 6), p.map(Float.init), atol: 1e-5)
        }
    }

    /// A relative parameter takes the Adam step at learning rate lr·|pᵢ| (recurrence in Double), so a
    /// constant push toward zero shrinks it geometrically and never crosses zero.
    func testRelativeLearningRateMatchesScalarRecurrenceAndKeepsTheSign() {
        var p: [Double] = [1, -2, 0.005], m: [Double] = [0, 0, 0], v: [Double] = [0, 0, 0]
        let c: [Double] = [1, 0.5, 2], lr = 0.01
        for t in 1...6 {
            for i in 0..<3 {
                let g = 2 * c[i] * p[i]
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                let mh = m[i] / (1 - Foundation.pow(0.9, Double(t))), vh = v[i] / (1 - Foundation.pow(0.999, Double(t)))
                p[i] -= lr * abs(p[i]) * mh / (vh.squareRoot() + 1e-8)
            }
        }
        let q = Parameter(Tensor(shape: [3], scalars: [1, -2, 0.005]))
        let c32 = Tensor(shape: [3], scalars: [1, 0.5, 2])
        let opt = Optimizer(Adam(), groups: [ParameterGroup(parameters: [q], learningRate: 0.01, learningRateIsRelative: true)])
        for _ in 0..<6 {
            opt.zeroGrad()
            (q.value.square() * c32).sum().backward()
            opt.step()
        }
        assertClose(q.value.scalars, p.map(Float.init), atol: 1e-6)

        // An absolute Adam step of 0.01 takes 0.005 through zero at once; the relative one only shrinks it.
        let absolute = Parameter(Tensor(shape: [1], scalars: [0.005])), relative = Parameter(Tensor(shape: [1], scalars: [0.005]))
        let groups = ParameterGroup.split([absolute, relative], relative: [relative], learningRate: 0.01)
        XCTAssertEqual(groups.map(\.learningRateIsRelative), [false, true])
        let both = Optimizer(Adam(), groups: groups)
        for _ in 0..<200 {
            both.zeroGrad()
            (absolute.value.sum() + relative.value.sum()).backward()
            both.step()
        }
        XCTAssertLessThan(absolute.value.scalars[0], 0)
        XCTAssertGreaterThan(relative.value.scalars[0], 0)
        XCTAssertLessThan(relative.value.scalars[0], 0.005 * 0.2, "200 steps of −1 % each")
    }

    func testParameterGroupsHaveOwnLearningRates() {
        let a = Parameter(Tensor.ones([2])), b = Parameter(Tensor.ones([2]))
        let opt = Optimizer(SGD(), groups: [ParameterGroup(parameters: [a], learningRate: 0.1),
                                            ParameterGroup(parameters: [b], learningRate: 0.01)])
        opt.learningRateScale = 0.5
        (a.value + b.value).sum().backward()
        opt.step()
        assertClose(a.value.scalars, [0.95, 0.95])
        assertClose(b.value.scalars, [0.995, 0.995])
    }

    func testSchedules() {
        XCTAssertEqual(LRSchedule.step(stepSize: 3, gamma: 0.1).factor(at: 2), 1)
        XCTAssertEqual(LRSchedule.step(stepSize: 3, gamma: 0.5).factor(at: 7), 0.25)
        XCTAssertEqual(LRSchedule.cosine(totalSteps: 10, minFactor: 0).factor(at: 0), 1)
        XCTAssertEqual(LRSchedule.cosine(totalSteps: 10, minFactor: 0.1).factor(at: 5), 0.55, accuracy: 1e-6)
        XCTAssertEqual(LRSchedule.cosine(totalSteps: 10, minFactor: 0.1).factor(at: 20), 0.1, accuracy: 1e-6)
        let warm = LRSchedule.linearWarmup(steps: 4, then: .cosine(totalSteps: 10, minFactor: 0))
        XCTAssertEqual(warm.factor(at: 0), 0.25)
        XCTAssertEqual(warm.factor(at: 3), 1)
        XCTAssertEqual(warm.factor(at: 4), 1)
        XCTAssertEqual(warm.factor(at: 9), 0.5, accuracy: 1e-6)
    }

    func testGradientClipping() {
        let a = Parameter(Tensor.zeros([2])), b = Parameter(Tensor.zeros([1]))
        ((a.value * Tensor(shape: [2], scalars: [3, 0])).sum() + (b.value * 4).sum()).backward()
        let norm = GradientClipping.clipNorm([a, b], maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-6)
        assertClose(a.grad!.scalars, [0.6, 0], atol: 1e-5)
        assertClose(b.grad!.scalars, [0.8], atol: 1e-5)
        GradientClipping.clipValue([a, b], limit: 0.7)
        assertClose(b.grad!.scalars, [0.7])
    }
}
