import Foundation
import NN
import TensorCore
import TensorTestSupport
import XCTest
import Support

/// Generated 16×16 single-channel images of three shape classes at random
/// positions and sizes with noise: 0 filled square, 1 hollow square, 2 plus sign.
func makeShapes(count: Int, seed: UInt64) -> (images: Tensor, labels: [Int]) {
    var rng = SeededRandom(seed: seed)
    let side = 16
    var pixels = [Float](repeating: 0, count: count * side * side)
    var labels: [Int] = []
    for n in 0..<count {
        let label = rng.nextInt(below: 3)
        labels.append(label)
        let size = 5 + rng.nextInt(below: 6)               // 5…10
        let y0 = rng.nextInt(below: side - size + 1), x0 = rng.nextInt(below: side - size + 1)
        for y in 0..<size {
            for x in 0..<size {
                let on: Bool
                switch label {
                case 0: on = true
                case 1: on = y == 0 || x == 0 || y == size - 1 || x == size - 1
                default: on = y == size / 2 || x == size / 2
                }
                if on { pixels[n * side * side + (y0 + y) * side + x0 + x] = 1 }
            }
        }
        for i in 0..<(side * side) { pixels[n * side * side + i] += 0.2 * (rng.nextUniform() - 0.5) }
    }
    return (Tensor(shape: [count, 1, side, side], scalars: pixels), labels)
}

func makeShapeClassifier(seed: UInt64) -> Sequential {
    Sequential([
        Conv2d(1, 8, kernelSize: 3, padding: 1, seed: seed), BatchNorm2d(8), ReLU(),
        MaxPool2d(kernel: 2),
        Conv2d(8, 16, kernelSize: 3, padding: 1, seed: seed + 10), BatchNorm2d(16), ReLU(),
        GlobalAvgPool2d(), Flatten(), Linear(16, 3, seed: seed + 20),
    ])
}

final class LearningTests: XCTestCase {
    func testLinearRegressionConverges() {
        let x = Tensor.normal([64, 3], seed: 1)
        let trueW = Tensor(shape: [3, 1], scalars: [2, -1, 0.5])
        let y = x.matmul(trueW) + 0.3
        let model = Linear(3, 1, seed: 2)
        let opt = Optimizer(SGD(momentum: 0.9), parameters: model.parameters, learningRate: 0.05)
        var loss: Float = 0
        for _ in 0..<200 {
            opt.zeroGrad()
            let l = Loss.mse(model(x), y)
            l.backward()
            opt.step()
            loss = l.item
        }
        XCTAssertLessThan(loss, 1e-6)
        assertClose(model.weight.value.scalars, [2, -1, 0.5], atol: 1e-3)
        assertClose(model.bias!.value.scalars, [0.3], atol: 1e-3)
    }

    func accuracy(_ net: Sequential, _ data: (images: Tensor, labels: [Int])) -> Double {
        let logits = withNoGrad { net(data.images) }
        var correct = 0
        for i in 0..<data.labels.count {
            let row = (0..<3).map { logits[i, $0] }
            if row.firstIndex(of: row.max()!) == data.labels[i] { correct += 1 }
        }
        return Double(correct) / Double(data.labels.count)
    }

    func testTinyCNNLearnsShapesAndCheckpointRoundTrips() throws {
        let train = makeShapes(count: 512, seed: 11), test = makeShapes(count: 300, seed: 12)
        let net = makeShapeClassifier(seed: 3)
        let opt = Optimizer(Adam(), parameters: net.parameters, learningRate: 0.01)
        let batch = 32, start = Date()
        for step in 0..<400 {
            let b = step % (512 / batch)
            let images = train.images.slice(axis: 0, start: b * batch, end: (b + 1) * batch)
            let labels = Array(train.labels[(b * batch)..<((b + 1) * batch)])
            opt.zeroGrad()
            Loss.crossEntropy(net(images), targets: labels).backward()
            opt.step()
        }
        let seconds = Date().timeIntervalSince(start)
        net.eval()
        let acc = accuracy(net, test)
        XCTAssertGreaterThan(acc, 0.95, "held-out accuracy \(acc) after \(seconds) s")
        print("tiny CNN: held-out accuracy \(acc), training \(String(format: "%.2f", seconds)) s")

        // Save, load into a differently initialised net: identical outputs.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tensorcore-cnn-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try net.save(to: path, metadata: ["model": "shapes"])
        let restored = makeShapeClassifier(seed: 99)
        restored.eval()
        let meta = try restored.load(from: path)
        XCTAssertEqual(meta["model"], "shapes")
        let a = withNoGrad { net(test.images) }, b = withNoGrad { restored(test.images) }
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertEqual(accuracy(restored, test), acc)
    }
}
