import Foundation
import Quantization
import XCTest

/// The sensor tables against the defining formula, for every ADC code, every channel, N = 1...8.
final class EncoderFormulaTests: XCTestCase {
    /// The specs under test at `bits`: every family, global and per-colour parameters.
    static func specs(bits: Int) throws -> [QuantizerSpec] {
        let m = (1 << bits) - 1
        let spread = (1...m).map { 0.8 * pow(Double($0) / Double(m + 1), 2.5) }  // dense near black
        return [try .linear(bits: bits), try .log(bits: bits), try .gamma([1 / 2.2], bits: bits), try .gamma([0.3, 0.45, 0.7], bits: bits),
                try QuantizerSpec(kind: .sq, bits: bits, thresholds: [spread]),
                try QuantizerSpec(kind: .bwsq, bits: bits, thresholds: [spread.reversed(), spread, spread.map { $0 * 1.1 }]),
                try QuantizerSpec(kind: .lsq, bits: bits, steps: [1 / Double(m), 0.5 / Double(m), 0.8 / Double(m)]),
                try .log(bits: bits, scales: [30, 4000, 512]), try .gammaLog([0.75, 1.25, 0.875], scales: [100, 800, 20], bits: bits),
                try .monotone(knots: [0, 0.015625, 0.125, 0.25, 1], increments: [[0.125, 0.25, 0.25, 0.375], [0.375, 0.25, 0.25, 0.125], [0, 0.5, 0, 0.5]],
                              bits: bits)]
    }

    /// The formula written out independently of the library, in Float32 as both faces evaluate it.
    static func expectedCode(adc: Int, black: Int, white: Int, spec: QuantizerSpec, color: Int) -> Int {
        let x = min(max((Float(adc) - Float(black)) / (Float(white) - Float(black)), 0), 1)
        let levels = 1 << spec.bits
        func pick(_ values: [Double]) -> Double { values.count == 1 ? values[0] : values[color] }
        let y: Float
        switch spec.kind {
        case .linear: y = x
        case .log:
            let d = spec.logScales.map { Float(pick($0)) } ?? Float(white - black)
            y = log(x * d + 1) / log(d + 1)
        case .gammaLog:
            let d = Float(pick(spec.logScales!))
            y = pow(log(x * d + 1) / log(d + 1), Float(pick(spec.gammas)))
        case .monotone:
            // Linear interpolation between the knots, summed segment by segment in Float32.
            let t = spec.knots!.map(Float.init)
            let row = (spec.increments!.count == 1 ? spec.increments![0] : spec.increments![color]).map(Float.init)
            var sum: Float = 0
            for k in 0..<row.count {
                let part = min(max((x - t[k]) * (1 / (t[k + 1] - t[k])), 0), 1) * row[k]
                sum = k == 0 ? part : sum + part
            }
            y = sum
        case .gamma: y = pow(x, Float(pick(spec.gammas)))
        case .sq, .bwsq:
            let row = spec.thresholds!.count == 1 ? spec.thresholds![0] : spec.thresholds![color]
            return row.filter { x > Float($0) }.count
        case .lsq:
            return min(levels - 1, max(0, Int((x / Float(pick(spec.steps!))).rounded(.toNearestOrEven))))
        }
        return min(levels - 1, Int(floor(Float(levels) * y)))
    }

    func testEncoderTablesMatchTheFormulaForEveryADCCode() throws {
        let colors = [0, 1, 1, 2]  // RGGB
        for adcBits in [10, 12, 14] {
            let white = (1 << adcBits) - 1
            let blacks = [64, 60, 60, 68].map { $0 << (adcBits - 10) }
            for bits in 1...8 {
                for spec in try Self.specs(bits: bits) {
                    let q = try MosaicQuantizer(spec: spec, colorIndices: colors, blackLevels: blacks, whiteLevel: white)
                    XCTAssertEqual(q.adcBits, adcBits)
                    for p in 0..<4 {
                        let encoder = q.channels[p].encoder
                        XCTAssertEqual(encoder.count, 1 << adcBits)
                        for adc in 0..<encoder.count {
                            let expected = Self.expectedCode(adc: adc, black: blacks[p], white: white, spec: spec, color: colors[p])
                            if Int(encoder[adc]) != expected {
                                XCTFail("\(spec.summary) ADC \(adcBits) channel \(p): code of \(adc) is \(encoder[adc]), expected \(expected)")
                                return
                            }
                        }
                    }
                }
            }
        }
    }

    func testCodesAreMonotoneAndCoverTheRange() throws {
        for bits in 1...8 {
            for spec in try Self.specs(bits: bits) {
                let channel = ChannelQuantizer(mapping: spec.mapping(colorIndex: 1, range: 4095 - 256), networkEncoding: spec.networkEncoding,
                                               bits: bits, black: 256, white: 4095, adcBits: 12)
                XCTAssertTrue(zip(channel.encoder, channel.encoder.dropFirst()).allSatisfy { $0 <= $1 }, spec.summary)
                XCTAssertEqual(channel.encoder[0], 0)
                XCTAssertEqual(channel.encoder[256], 0)
                XCTAssertEqual(Int(channel.encoder[4095]), (1 << bits) - 1, spec.summary)
                // With 12-bit input a linear ramp reaches every code up to 8 bits; the curves, whose slope
                // near black exceeds one code per ADC step, reach every code up to 4 bits.
                if spec.kind == .linear || spec.kind == .lsq || bits <= 4 {
                    XCTAssertEqual(Set(channel.encoder).count, 1 << bits, spec.summary)
                }
            }
        }
    }

    func testDecoderIsTheCentreOfEachCodesInterval() throws {
        for bits in 1...8 {
            for spec in try Self.specs(bits: bits) where [.linear, .log, .gamma].contains(spec.kind) {
                let black = 256, white = 4095
                guard case .curve(let curve) = spec.mapping(colorIndex: 0, range: white - black) else { return XCTFail() }
                let channel = ChannelQuantizer(curve: curve, bits: bits, black: black, white: white, adcBits: 12)
                for code in 0..<(1 << bits) {
                    let x = (channel.decoder[code] - Double(black)) / Double(white - black)
                    let y = Double(curve.apply(Float(x)))
                    XCTAssertEqual(y, (Double(code) + 0.5) / Double(1 << bits), accuracy: 1e-5, "\(spec.summary) code \(code)")
                    XCTAssertEqual(channel.networkValues[code], [(Float(code) + 0.5) / Float(1 << bits)])
                }
                XCTAssertTrue(zip(channel.decoder, channel.decoder.dropFirst()).allSatisfy { $0 < $1 })
            }
        }
    }

    func testNetworkValuesOfThresholdAndStepQuantizers() throws {
        let a: [Float] = [0.5, 0.1, 0.3]  // unsorted on purpose
        let thermometer = ChannelQuantizer(mapping: .thresholds(a), networkEncoding: .thermometer, bits: 2, black: 0, white: 1023, adcBits: 10)
        XCTAssertEqual(thermometer.networkValues, [[0, 0, 0], [0, 1, 0], [0, 1, 1], [1, 1, 1]])
        XCTAssertEqual(thermometer.decoder.map { $0 / 1023 }, [0.05, 0.2, 0.4, 0.75], accuracy: 1e-7)  // thresholds are Float32
        let count = ChannelQuantizer(mapping: .thresholds(a), networkEncoding: .count, bits: 2, black: 0, white: 1023, adcBits: 10)
        XCTAssertEqual(count.networkValues, [[0], [1.0 / 3], [2.0 / 3], [1]])
        let step = ChannelQuantizer(mapping: .step(0.25), networkEncoding: .step, bits: 2, black: 0, white: 1023, adcBits: 10)
        XCTAssertEqual(step.networkValues, [[0], [0.25], [0.5], [0.75]])
        XCTAssertEqual(Int(step.encoder[1023]), 3, "clamped to the top code")
    }

    func testThresholdsReproduceTheEncoder() throws {
        let channel = ChannelQuantizer(curve: .gamma(0.4), bits: 3, black: 100, white: 1023, adcBits: 10)
        let thresholds = channel.thresholds.map { $0! }
        for adc in 0..<1024 {
            XCTAssertEqual(Int(channel.encoder[adc]), thresholds.filter { adc >= $0 }.count)
        }
    }

    func testInvalidSpecsAreRefused() {
        XCTAssertThrowsError(try QuantizerSpec.linear(bits: 0))
        XCTAssertThrowsError(try QuantizerSpec.linear(bits: 9))
        XCTAssertThrowsError(try QuantizerSpec.gamma([], bits: 4))
        XCTAssertThrowsError(try QuantizerSpec.gamma([0.3, 0.4], bits: 4))
        XCTAssertThrowsError(try QuantizerSpec.gamma([-1], bits: 4))
        XCTAssertThrowsError(try QuantizerSpec.gamma([.nan], bits: 4))
        XCTAssertThrowsError(try QuantizerSpec(kind: .linear, bits: 4, gammas: [0.5]))
        XCTAssertThrowsError(try QuantizerSpec(kind: .sq, bits: 2, thresholds: [[0.1, 0.2]]))
        XCTAssertThrowsError(try QuantizerSpec(kind: .bwsq, bits: 2, thresholds: [[0.1, .nan, 0.3]]))
        XCTAssertThrowsError(try QuantizerSpec(kind: .lsq, bits: 2, steps: [0]))
        XCTAssertThrowsError(try QuantizerSpec(kind: .lsq, bits: 2))
        XCTAssertThrowsError(try MosaicQuantizer(spec: try! .linear(bits: 4), colorIndices: [0, 1, 1, 2], blackLevels: [4095, 0, 0, 0], whiteLevel: 4095))
        XCTAssertThrowsError(try MosaicQuantizer(spec: try! .linear(bits: 4), colorIndices: [0, 1, 1, 2], blackLevels: [0, 0, 0, 0], whiteLevel: 4095, adcBits: 10))
    }
}

/// Element-wise closeness of two Double arrays.
func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
