import RawIO
import TestSupport
import XCTest

/// The real Canon CR2 fixture: facts recorded in Fixtures/PROVENANCE.md (read with LibRaw 0.20.2).
final class RealRawTests: XCTestCase {
    func testCanonCR2Facts() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("IMG_5952.CR2"))
        XCTAssertEqual(image.width, 3522)
        XCTAssertEqual(image.height, 2348)
        XCTAssertEqual(image.cfa, .rggb)
        // black 127 + cblack (R 1, G 1, B 1, G2 0); positions R, G, G2, B.
        XCTAssertEqual(image.blackLevels, [128, 128, 127, 128])
        XCTAssertEqual(image.whiteLevel, 4095)
        XCTAssertEqual(image.adcBits, 12)
        XCTAssertEqual(image.metadata.make, "Canon")
        XCTAssertEqual(image.metadata.model, "EOS 30D")
        XCTAssertEqual(image.metadata.isoSpeed, 640)
        XCTAssertEqual(try XCTUnwrap(image.metadata.exposureTime), 1.0 / 400, accuracy: 1e-6)
        XCTAssertEqual(image.metadata.aperture, 22)
        let wb = try XCTUnwrap(image.metadata.whiteBalance)
        XCTAssertGreaterThan(wb[0] / wb[1], 1.5)  // daylight: red gain > 1.5× green
        XCTAssertNotNil(image.metadata.colorMatrix)
        XCTAssertNotNil(image.metadata.cameraToSRGB)
        XCTAssertLessThanOrEqual(image.pixels.max()!, 4095)
        // The sky and landscape of this daylight frame sit well above black on average.
        let mean = image.pixels.reduce(0.0) { $0 + Double($1) } / Double(image.pixels.count)
        XCTAssertGreaterThan(mean, 200)
        XCTAssertLessThan(mean, 2000)
    }
}
