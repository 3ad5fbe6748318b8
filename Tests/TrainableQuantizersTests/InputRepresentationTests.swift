import Quantization
import TrainableQuantizers
import XCTest

/// `InputRepresentation` says of each family what its built faces do.
final class InputRepresentationTests: XCTestCase {
    func testEveryCaseAgreesWithItsTrainAndDeployFaces() throws {
        for representation in InputRepresentation.allCases {
            XCTAssertEqual(InputRepresentation(rawValue: representation.name), representation)
            XCTAssertFalse(representation.label.isEmpty)
            for bits in 1...8 {
                let face = representation.makeTrainFace(bits: bits)
                XCTAssertEqual(representation.networkChannels(bits: bits), face.outputChannels(inputChannels: 4), "\(representation) \(bits)")
                XCTAssertEqual(representation.isLearnable, !face.parameters.isEmpty, "\(representation)")
                XCTAssertEqual(representation.isQuantized, (try? face.deploySpec()) != nil, "\(representation)")
                XCTAssertEqual(representation.payloadBitsPerPixel(bits: representation.isQuantized ? bits : nil, adcBits: 12),
                               representation == .isp ? 24 : representation.isReference ? 12 : bits)
                if representation.isFixedCurve {
                    let fixed = try representation.fixedDeploySpec(bits: bits, gammas: [0.5])
                    XCTAssertEqual(fixed.kind, try face.deploySpec().kind)
                    XCTAssertEqual(fixed.bits, bits)
                } else {
                    XCTAssertThrowsError(try representation.fixedDeploySpec(bits: bits))
                }
            }
        }
    }
}
