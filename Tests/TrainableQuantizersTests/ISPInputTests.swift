import Foundation
import TensorCore
import TrainableQuantizers
import XCTest

final class ISPInputTests: XCTestCase {
    func testRendersEightBitSRGBFromThePlanes() throws {
        let wb: [Float] = [2, 1, 1.5], matrix: [Float] = [1.2, -0.1, -0.1, -0.2, 1.3, -0.1, 0, -0.3, 1.3]
        let isp = ISPInput(whiteBalance: wb, cameraToSRGB: matrix)
        XCTAssertEqual(isp.outputChannels(inputChannels: 4), 3)
        // Two pixels: planes R, Gr, Gb, B.
        let x = Tensor(shape: [1, 4, 1, 2], scalars: [0.1, 0.9, 0.2, 0.6, 0.3, 0.5, 0.05, 1])
        let out = isp(x, layout: .bayerPlanes(range: 4000))
        XCTAssertEqual(out.shape, [1, 3, 1, 2])
        for p in 0..<2 {
            let camera = [min(Double(x.scalars[p]) * 2, 1), min((Double(x.scalars[2 + p]) + Double(x.scalars[4 + p])) / 2, 1), min(Double(x.scalars[6 + p]) * 1.5, 1)]
            for k in 0..<3 {
                let linear = min(max((0..<3).reduce(0.0) { $0 + Double(matrix[3 * k + $1]) * camera[$1] }, 0), 1)
                let encoded = linear <= 0.0031308 ? 12.92 * linear : 1.055 * pow(linear, 1 / 2.4) - 0.055
                XCTAssertEqual(Double(out.scalars[k * 2 + p]), (encoded * 255).rounded() / 255, accuracy: 1e-6)
            }
        }
        XCTAssertThrowsError(try isp.deploySpec())
        let description = try QuantizerDescription.isp(whiteBalance: wb, cameraToSRGB: matrix)
        XCTAssertTrue(description.makeQuantizer() is ISPInput)
    }
}
