import NN
import TensorCore
import XCTest

/// The residual block: y = ReLU(body(x) + x), the identity (on ReLU outputs) when new, and gradients that
/// reach the body once its last BatchNorm is no longer zero.
final class ResidualBlockTests: XCTestCase {
    private func input(_ shape: [Int], seed: UInt64) -> Tensor {
        var state = seed
        let values = (0..<shape.reduce(1, *)).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        return Tensor(shape: shape, scalars: values)
    }

    func testANewBlockIsTheIdentityOnNonNegativeInput() {
        let block = ResidualBlock(channels: 3, seed: 7)
        let x = input([2, 3, 5, 4], seed: 1).relu()
        XCTAssertEqual(block.forward(x).scalars, x.scalars)
    }

    func testForwardIsReLUOfBodyPlusInput() {
        let block = ResidualBlock(channels: 2, dilation: 2, seed: 3)
        let last = block.body.layers[4] as! BatchNorm2d
        last.weight.assign(Tensor.full([2], value: 0.7))
        let x = input([1, 2, 6, 6], seed: 2)
        let expected = (block.body(x) + x).relu()
        XCTAssertEqual(block.forward(x).scalars, expected.scalars)
        XCTAssertEqual(block.forward(x).shape, [1, 2, 6, 6])
    }

    func testGradientsReachTheInputAndEveryParameter() {
        let block = ResidualBlock(channels: 2, seed: 5)
        (block.body.layers[4] as! BatchNorm2d).weight.assign(Tensor.full([2], value: 0.5))
        let x = input([2, 2, 4, 4], seed: 3).requiringGrad()
        block.forward(x).sum().backward()
        XCTAssertNotNil(x.grad)
        for (name, parameter) in block.namedParameters() {
            let g = parameter.grad?.scalars ?? []
            XCTAssertTrue(g.contains { $0 != 0 }, "\(name) got no gradient")
        }
        XCTAssertEqual(ResidualBlock.storedScalars(channels: 2), block.stateDict().values.reduce(0) { $0 + $1.scalars.count })
    }
}
