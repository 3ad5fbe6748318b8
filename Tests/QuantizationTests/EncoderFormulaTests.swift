import Foundation
import Quantization
import XCTest

/// The sensor tables against the defining formula, for every ADC code, every channel, N = 1...8.
final class EncoderFormulaTests: XCTestCase {
    /// The specs under test at `bits`: linear, log, global γ and per-colour γ.
    static func specs(bits: Int) throws -> [QuantizerSpec] {
        [try .linear(bits: bits), try .log(bits: bits), try .gamma([1 / 2.2], bits: bits), try .gamma([0.3, 0.45, 0.7], bits: bits)]
    }

    /// The formula written out independently of the library: code = min(2^N − 1, ⌊2^N · f(x̂)⌋).
    static func expectedCode(adc: Int, black: Int, white: Int, spec: QuantizerSpec, color: Int) -> Int {
        let x = min(max(Double(adc - black) / Double(white - black), 0), 1)
        let y: Double
        switch spec.kind {
        case .linear: y = x
        case .log: y = log(1 + Double(white - black) * x) / log(1 + Double(white - black))
        case .gamma: y = x == 0 ? 0 : pow(x, spec.gammas.count == 1 ? spec.gammas[0] : spec.gammas[color])
        }
        return min((1 << spec.bits) - 1, Int(floor(Double(1 << spec.bits) * y)))
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
                let channel = ChannelQuantizer(curve: spec.curve(colorIndex: 1, range: 4095 - 256), bits: bits, black: 256, white: 4095, adcBits: 12)
                XCTAssertTrue(zip(channel.encoder, channel.encoder.dropFirst()).allSatisfy { $0 <= $1 }, spec.summary)
                XCTAssertEqual(channel.encoder[0], 0)
                XCTAssertEqual(channel.encoder[256], 0)
                XCTAssertEqual(Int(channel.encoder[4095]), (1 << bits) - 1, spec.summary)
                // With 12-bit input a linear ramp reaches every code up to 8 bits; the curves, whose slope
                // near black exceeds one code per ADC step, reach every code up to 4 bits.
                if spec.kind == .linear || bits <= 4 {
                    XCTAssertEqual(Set(channel.encoder).count, 1 << bits, spec.summary)
                }
            }
        }
    }

    func testDecoderIsTheCentreOfEachCodesInterval() throws {
        for bits in 1...8 {
            for spec in try Self.specs(bits: bits) {
                let black = 256, white = 4095
                let curve = spec.curve(colorIndex: 0, range: Double(white - black))
                let channel = ChannelQuantizer(curve: curve, bits: bits, black: black, white: white, adcBits: 12)
                for code in 0..<(1 << bits) {
                    let x = (channel.decoder[code] - Double(black)) / Double(white - black)
                    let y = curve.apply(x)
                    XCTAssertEqual(y, (Double(code) + 0.5) / Double(1 << bits), accuracy: 1e-9, "\(spec.summary) code \(code)")
                    XCTAssertEqual(ChannelQuantizer.code(adc: 0, black: 0, range: 1, curve: curve, levels: 1 << bits), 0)
                }
                XCTAssertTrue(zip(channel.decoder, channel.decoder.dropFirst()).allSatisfy { $0 < $1 })
            }
        }
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
        XCTAssertThrowsError(try MosaicQuantizer(spec: try! .linear(bits: 4), colorIndices: [0, 1, 1, 2], blackLevels: [4095, 0, 0, 0], whiteLevel: 4095))
        XCTAssertThrowsError(try MosaicQuantizer(spec: try! .linear(bits: 4), colorIndices: [0, 1, 1, 2], blackLevels: [0, 0, 0, 0], whiteLevel: 4095, adcBits: 10))
    }
}
