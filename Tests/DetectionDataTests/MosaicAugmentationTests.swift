import Bayer
import DetectionData
import Support
import XCTest

/// The four-image mosaic: crop-sized canvas, every pixel from its quadrant's tile at the canvas's CFA phase,
/// boxes moved into their quadrant, seeded draws, and no mosaic of mismatched tiles.
final class MosaicAugmentationTests: XCTestCase {
    /// Tile k: value 1000 · (k + 1) + 100 · (CFA position) at every pixel, so a canvas pixel says which tile and
    /// which colour site it came from.
    private func tile(_ k: Int, cfa: CFAPattern = .rggb, width: Int = 40, height: Int = 30) -> BayerImage {
        var pixels = [UInt16](repeating: 0, count: width * height)
        for r in 0..<height {
            for c in 0..<width { pixels[r * width + c] = UInt16(1000 * (k + 1) + 100 * ((r & 1) << 1 | (c & 1))) }
        }
        return BayerImage(width: width, height: height, pixels: pixels, cfa: cfa, blackLevels: [64, 64, 64, 64], whiteLevel: 16383)
    }

    private func centred(_ k: Int) -> [GroundTruthObject] {
        [GroundTruthObject(className: "c\(k)", box: BoundingBox(xmin: 11, ymin: 9, xmax: 30, ymax: 22))]
    }

    func testQuadrantsKeepTheirTileAndTheCFAPhase() throws {
        let options = AugmentationOptions(cropWidth: 64, cropHeight: 48)
        let tiles = (0..<4).map { (tile($0), centred($0)) }
        for seed in 0..<10 {
            var random = SeededRandom(seed: UInt64(seed))
            let (canvas, objects) = try XCTUnwrap(options.mosaic(tiles, random: &random))
            XCTAssertEqual([canvas.width, canvas.height], [64, 48])
            XCTAssertEqual(canvas.cfa, .rggb)
            var tileOf = [Int](repeating: -1, count: 64 * 48)
            for r in 0..<48 {
                for c in 0..<64 {
                    let v = Int(canvas[r, c])
                    guard v != 64 else { continue }  // black padding
                    XCTAssertEqual((v % 1000) / 100, (r & 1) << 1 | (c & 1), "CFA phase at (\(r), \(c))")
                    tileOf[r * 64 + c] = v / 1000 - 1
                }
            }
            // Each tile covers a quadrant: the top-left pixel is tile 0's, the bottom-right tile 3's.
            XCTAssertEqual(tileOf[0], 0)
            XCTAssertEqual(tileOf[64 * 48 - 1] == -1 ? 3 : tileOf[64 * 48 - 1], 3)
            XCTAssertEqual(Set(tileOf.filter { $0 >= 0 }), [0, 1, 2, 3])
            // Every box lies on pixels of its own tile.
            for object in objects {
                let k = Int(object.className.dropFirst())!
                let b = object.box
                XCTAssertGreaterThanOrEqual(b.xmin, 1)
                XCTAssertLessThanOrEqual(b.xmax, 64)
                XCTAssertLessThanOrEqual(b.ymax, 48)
                let (cr, cc) = (Int((b.ymin + b.ymax) / 2) - 1, Int((b.xmin + b.xmax) / 2) - 1)
                XCTAssertEqual(tileOf[cr * 64 + cc], k, "box of tile \(k) at \(b)")
            }
        }
    }

    func testMosaicDrawsAreSeededAndScaleApplies() throws {
        let options = AugmentationOptions(cropWidth: 64, cropHeight: 64, horizontalFlipProbability: 0.5, scaleRange: 0.5...1.5,
                                          photometric: PhotometricAugmentation())
        let tiles = (0..<4).map { (tile($0), centred($0)) }
        var a = SeededRandom(seed: 3), b = SeededRandom(seed: 3), c = SeededRandom(seed: 4)
        let one = try XCTUnwrap(options.mosaic(tiles, random: &a))
        let two = try XCTUnwrap(options.mosaic(tiles, random: &b))
        XCTAssertEqual(one.0.pixels, two.0.pixels)
        XCTAssertEqual(one.1, two.1)
        XCTAssertNotEqual(one.0.pixels, try XCTUnwrap(options.mosaic(tiles, random: &c)).0.pixels)
    }

    func testNoMosaicWithoutACropOrOfMismatchedTiles() {
        let tiles = (0..<4).map { (tile($0), centred($0)) }
        var random = SeededRandom(seed: 1)
        XCTAssertNil(AugmentationOptions().mosaic(tiles, random: &random))
        let options = AugmentationOptions(cropWidth: 64, cropHeight: 48)
        XCTAssertNil(options.mosaic(Array(tiles.prefix(3)), random: &random))
        var mixed = tiles
        mixed[2] = (tile(2, cfa: .gbrg), centred(2))
        XCTAssertNil(options.mosaic(mixed, random: &random))
    }
}
