import NN
import Quantization
import TensorCore
import TrainableQuantizers
import XCTest
import Bayer

/// In eval mode every train face equals its deploy face (encoder → network decoder) bit for bit, for every
/// ADC code, every channel, N = 1…8 and ADC depths 10, 12, 14.
final class TrainDeployAgreementTests: XCTestCase {
    /// Quantizers of every family at `bits`, with non-trivial parameters.
    static func quantizers(bits: Int) -> [InputQuantizer] {
        let m = (1 << bits) - 1
        let learned = LearnableGammaQuantizer(bits: bits, initialGamma: [1], perColor: true)
        learned.setGamma([0.27, 0.31, 0.45])
        let global = LearnableGammaQuantizer(bits: bits, initialGamma: [0.6], perColor: false)
        let sq = ThresholdQuantizer(mode: .sq, bits: bits, perColor: false)
        let samples: [Float] = (0..<1000).map { (i: Int) -> Float in pow(Float(i) / 1000, 3) }
        sq.initialize(.quantile, samples: [samples])
        let bwsq = ThresholdQuantizer(mode: .bwsq, bits: bits, perColor: true)
        // Unsorted thresholds: the server's rank-based rebuild must still agree.
        var unsorted: [Float] = []
        for g in 0..<3 {
            for j in 1...m {
                let slot = (j * 7 + g * 3) % (m + 1) + 1
                unsorted.append(Float(slot) / Float(m + 2) * 0.9)
            }
        }
        bwsq.thresholds.assign(Tensor(shape: [3, m], scalars: unsorted))
        bwsq.eval()
        sq.eval()
        let lsq = LSQQuantizer(bits: bits, perColor: true)
        let steps: [Float] = [0.7 / Float(m), 0.35 / Float(m), 1.1 / Float(m)]
        lsq.step.assign(Tensor(shape: [3], scalars: steps))
        let learnedLog = LearnedLogQuantizer(bits: bits, groups: 3)
        learnedLog.set(scales: [250, 3000, 41], gammas: nil)
        let globalLog = LearnedLogQuantizer(bits: bits, scale: 700, groups: 1)
        let gammaLog = LearnedLogQuantizer(bits: bits, gamma: 1, groups: 3)
        gammaLog.set(scales: [900, 12, 5000], gammas: [0.8, 1.3, 0.55])
        let monotone = MonotoneCurveQuantizer(bits: bits, segments: 12, range: 3839, groups: 3)
        monotone.theta.assign(Tensor.uniform([3, 12], low: -3, high: 2, seed: UInt64(bits)))
        let monotoneGlobal = MonotoneCurveQuantizer(bits: bits, segments: 5, range: 100, groups: 1)
        monotoneGlobal.theta.assign(Tensor(shape: [1, 5], scalars: [-30, 0.5, 1, -2, 3]))  // a nearly flat first segment
        return [CurveQuantizer(.linear, bits: bits), CurveQuantizer(.log, bits: bits), CurveQuantizer(.gamma([1 / 2.2]), bits: bits),
                CurveQuantizer(.gamma([0.3, 0.4, 0.5]), bits: bits), learned, global, sq, bwsq, lsq,
                learnedLog, globalLog, gammaLog, monotone, monotoneGlobal]
    }

    func testEvalTrainFaceEqualsEncoderThenDecoderForEveryADCCode() throws {
        let colors = [0, 1, 1, 2]
        for adcBits in [10, 12, 14] {
            let white = (1 << adcBits) - 1
            let blacks = [64, 60, 61, 68].map { $0 << (adcBits - 10) }
            let codes = 1 << adcBits
            // x̂ of every ADC code, one plane per channel: [1, 4, 1, codes].
            let x = Tensor(shape: [1, 4, 1, codes], scalars: (0..<4).flatMap { c in
                (0..<codes).map { normalizedADC($0, black: blacks[c], white: white) }
            })
            let layout = ChannelLayout(colors: colors, ranges: blacks.map { Float(white - $0) })
            for bits in 1...8 {
                for quantizer in Self.quantizers(bits: bits) {
                    quantizer.eval()
                    let spec = try quantizer.deploySpec()
                    let out = withNoGrad { quantizer(x, layout: layout) }
                    let v = spec.valuesPerChannel
                    XCTAssertEqual(out.shape, [1, 4 * v, 1, codes])
                    var mismatches = 0
                    for c in 0..<4 {
                        let channel = ChannelQuantizer(mapping: spec.mapping(colorIndex: colors[c], range: white - blacks[c]),
                                                       networkEncoding: spec.networkEncoding, bits: bits, black: blacks[c],
                                                       white: white, adcBits: adcBits)
                        for adc in 0..<codes {
                            let expected = channel.networkValues[Int(channel.encoder[adc])]
                            for j in 0..<v where out.scalars[(c * v + j) * codes + adc].bitPattern != expected[j].bitPattern {
                                mismatches += 1
                            }
                        }
                    }
                    XCTAssertEqual(mismatches, 0, "\(spec.summary), \(adcBits)-bit ADC")
                }
            }
        }
    }

    func testTrainModeOfCurveQuantizersHasTheSameValues() {
        let x = Tensor(shape: [1, 4, 1, 5], scalars: (0..<20).map { Float($0) / 19 })
        let layout = ChannelLayout.bayerPlanes(range: 4000)
        let q = LearnableGammaQuantizer(bits: 3, initialGamma: [0.4])
        q.train()
        let trained = q(x, layout: layout)
        q.eval()
        XCTAssertEqual(trained.scalars, withNoGrad { q(x, layout: layout) }.scalars)
    }
}

final class QuantizerPersistenceTests: XCTestCase {
    func testSavedQuantizersReloadToTheSameFaces() throws {
        let directory = NSTemporaryDirectory() + "/rawquant-q-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let x = Tensor(shape: [1, 4, 1, 64], scalars: (0..<256).map { Float($0) / 255 })
        let layout = ChannelLayout.bayerPlanes(range: 3839)
        for quantizer in TrainDeployAgreementTests.quantizers(bits: 4) {
            let path = directory + "/q.safetensors"
            try quantizer.saveQuantizer(to: path)
            let spec = try QuantizerFile.read(path: path)
            XCTAssertEqual(spec, try quantizer.deploySpec())
            let reloaded = InputQuantizer.make(from: spec)
            quantizer.eval()
            reloaded.eval()
            XCTAssertEqual(withNoGrad { reloaded(x, layout: layout) }.scalars, withNoGrad { quantizer(x, layout: layout) }.scalars, spec.summary)
        }
    }
}
