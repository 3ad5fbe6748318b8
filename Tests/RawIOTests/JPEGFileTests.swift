import RawIO
import TestSupport
import XCTest

final class JPEGFileTests: XCTestCase {
    func testWrittenJPEGDecodesToTheSameImage() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/gradient.jpg"
        let width = 64, height = 40
        try JPEGFile.write(to: path, width: width, height: height, quality: 95) { row, out in
            for c in 0..<width {
                out[3 * c] = UInt8(c * 4)
                out[3 * c + 1] = UInt8(row * 6)
                out[3 * c + 2] = 128
            }
        }
        let image = try JPEGFile.decode(path: path)
        XCTAssertEqual(image.width, width)
        XCTAssertEqual(image.height, height)
        var worst = 0
        for row in 0..<height {
            for c in 0..<width {
                let i = 3 * (row * width + c)
                worst = max(worst, abs(Int(image.pixels[i]) - c * 4), abs(Int(image.pixels[i + 1]) - row * 6))
            }
        }
        XCTAssertLessThan(worst, 12, "JPEG at quality 95 stays close to a smooth gradient")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["gradient.jpg"])
    }

    func testFailedWriteLeavesNothing() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        struct Stop: Error {}
        XCTAssertThrowsError(try JPEGFile.write(to: directory + "/x.jpg", width: 8, height: 8) { row, _ in
            if row == 4 { throw Stop() }
        })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testNotAJPEGIsAnError() throws {
        XCTAssertThrowsError(try JPEGFile.decode(path: Fixtures.path("generated/synthetic_rggb_12bit.dng")))
    }
}
