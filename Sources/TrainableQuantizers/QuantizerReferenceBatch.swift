import Foundation
import NN
import Support
import TensorCore

/// A reference batch of a train face for other frameworks' twins (the PyTorch faces of `python/`): a seeded input,
/// the face's parameters, its training-mode output and the gradient of a seeded linear loss — what a twin must
/// reproduce within tolerance.
///
/// Tensors: `x` x̂ `[2, 4, 8, 8]` (the R, Gr, Gb, B planes, values (k − black)/range of random ADC offsets k, so
/// the eval faces can be compared on ADC codes too), `weights` the loss weights w (the output's shape, uniform in
/// [−1, 1]), `output` the training-mode output, `param.NAME` and `buffer.NAME` the face's state (names as in
/// detector checkpoints, without the `quantizer.` prefix) and `grad.NAME` ∂(Σ output·w)/∂NAME. Metadata:
/// `format` = `rawquant-quantizer-reference`, `quantizer` (the row name), `bits`, `range` (the ADC range of every
/// plane), `colors`, `temperature` (threshold faces), `epoch` and `epochs` (where the temperature schedule stands).
public enum QuantizerReferenceBatch {
    /// The planes' ADC range (a 12-bit sensor with black 256).
    public static let range: Float = 3839

    /// The batch of `representation` at `bits` for `seed`: the face starts as a trainer starts it (thresholds and
    /// LSQ steps from the batch's pixels, curves at the fixed log), then every parameter moves by seeded noise
    /// (so no gradient is checked at a symmetric start), at epoch 1 of 4 of the temperature schedule.
    public static func make(_ representation: InputRepresentation, bits: Int, seed: UInt64) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard representation.isLearnable else { throw FileError(path: representation.rawValue, "is not a learnable quantizer") }
        var random = SeededRandom(seed: seed)
        let offsets = (0..<(2 * 4 * 8 * 8)).map { _ in Float(random.nextInt(below: Int(range) + 1)) }
        // Raw pixels sit mostly near black: square a uniform draw for half the pixels.
        let x = Tensor(shape: [2, 4, 8, 8], scalars: offsets.enumerated().map { i, k in i % 2 == 0 ? (k / range) * (k / range) : k / range }
            .map { (($0 * range).rounded() / range) })
        let layout = ChannelLayout.bayerPlanes(range: range)
        let face = representation.makeTrainFace(bits: bits)
        let plane = x.shape[2] * x.shape[3]
        let samples = (0..<3).map { group in (0..<x.count).filter { layout.colors[($0 / plane) % 4] == group }.map { x.scalars[$0] } }
        if let q = face as? ThresholdQuantizer { q.initialize(.quantile, samples: samples) }
        if let q = face as? LSQQuantizer { q.initialize(samples: samples) }
        if let q = face as? LearnedLogQuantizer { q.initialize(range: range) }
        if let q = face as? MonotoneCurveQuantizer { q.initialize(range: range) }
        for (_, parameter) in face.namedParameters() {
            let moved = parameter.value.scalars.map { $0 + Float(0.05) * (2 * random.nextUniform() - 1) * Swift.max(abs($0), 0.02) }
            parameter.assign(Tensor(shape: parameter.shape, scalars: moved))
        }
        face.afterOptimizerStep()
        face.train()
        face.startEpoch(1, of: 4)
        let output = face(x, layout: layout)
        let weights = Tensor.uniform(output.shape, low: -1, high: 1, using: &random)
        (output * weights).sum().backward()
        var tensors = ["x": x, "weights": weights, "output": Tensor(shape: output.shape, scalars: output.scalars)]
        for (name, parameter) in face.namedParameters() {
            tensors["param." + name] = Tensor(shape: parameter.shape, scalars: parameter.value.scalars)
            tensors["grad." + name] = parameter.grad.map { Tensor(shape: parameter.shape, scalars: $0.scalars) } ?? Tensor.zeros(parameter.shape)
        }
        for (name, buffer) in face.namedBuffers() { tensors["buffer." + name] = buffer.value }
        var metadata = ["format": "rawquant-quantizer-reference", "quantizer": representation.rawValue, "bits": String(bits),
                        "range": String(Int(range)), "colors": layout.colors.map(String.init).joined(separator: ","),
                        "epoch": "1", "epochs": "4", "seed": String(seed)]
        if let q = face as? ThresholdQuantizer { metadata["temperature"] = String(q.temperature) }
        return (tensors, metadata)
    }
}
