import Bayer
import Foundation
import RawIO
import Support
import TestSupport
import XCTest

/// Raws whose pixel data are not there (issue 13): blank or early-ending data and headerless files that
/// LibRaw would identify by size alone are refused with their reason, unless the caller accepts them.
final class MissingPixelDataTests: XCTestCase {
    private var directory = ""
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func dng(_ name: String, width: Int = 64, height: Int = 64, pixel: (Int, Int) -> UInt16) throws -> String {
        let pixels = (0..<(width * height)).map { pixel($0 / width, $0 % width) }
        let image = BayerImage(width: width, height: height, pixels: pixels, cfa: .rggb, blackLevels: [256, 256, 256, 256], whiteLevel: 4095)
        let path = "\(directory)/\(name).dng"
        try DNGWriter.write(image, to: path)
        return path
    }

    private func assertRefused(_ path: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try RawDecoder.decode(path: path), file: file, line: line) { error in
            XCTAssertEqual((error as? RawIOError)?.kind, .corruptData, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(fragment), "\(error)", file: file, line: line)
        }
    }

    func testBlankAndEarlyEndingDataAreRefusedUnlessAllowed() throws {
        let blank = try dng("blank") { _, _ in 0 }
        assertRefused(blank, "no pixel data: every visible pixel is 0 (blank")
        let constant = try dng("constant") { _, _ in 700 }
        assertRefused(constant, "every visible pixel is 700")
        let truncated = try dng("truncated") { row, column in row < 40 ? UInt16(300 + (row * 7 + column * 13) % 900) : 0 }
        assertRefused(truncated, "the last 24 of 64 rows are all zero")
        for path in [blank, constant, truncated] {
            XCTAssertNoThrow(try RawDecoder.decode(path: path, options: RawDecodeOptions(allowBlank: true)))
        }
        let dark = try dng("dark") { row, column in UInt16(256 + (row + column) % 3) }
        XCTAssertNoThrow(try RawDecoder.decode(path: dark), "a dark frame with noise is real data")
    }

    func testHeaderlessDumpsAreNotGuessedSilently() throws {
        // 1024×768 bytes: LibRaw's size table calls any such file an "AVT F-080C" 8-bit raw.
        var random = SeededRandom(seed: 3)
        let bytes = (0..<(1024 * 768)).map { _ in UInt8(random.nextInt(below: 200) + 20) }
        let path = directory + "/dump.raw"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(RawDecoder.hasRecognisedHeader(path: path))
        XCTAssertThrowsError(try RawDecoder.decode(path: path)) { error in
            XCTAssertEqual((error as? RawIOError)?.kind, .unsupportedFormat)
            XCTAssertTrue("\(error)".contains("no raw header: LibRaw could only guess from the file size"), "\(error)")
        }
        let guessed = try RawDecoder.decode(path: path, options: RawDecodeOptions(allowSizeIdentified: true))
        XCTAssertEqual([guessed.width, guessed.height], [1024, 768])
        XCTAssertTrue(RawDecoder.hasRecognisedHeader(path: Fixtures.path("IMG_5952.CR2")))
        XCTAssertTrue(RawDecoder.hasRecognisedHeader(path: Fixtures.path("generated/synthetic_rggb_12bit.dng")))
    }

    /// The third-party stripped header and headerless dumps in ../shared/real (skipped when absent).
    func testRealStrippedAndHeaderlessFiles() throws {
        let real = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real/raw").path
        guard FileManager.default.fileExists(atPath: real + "/stripped/exiftool_DNG.dng") else {
            throw XCTSkip("the third-party raws of ../shared/real/raw are not beside this checkout (they are never committed); "
                          + "the stripped-header and headerless checks run on the crafted files above instead")
        }
        XCTAssertThrowsError(try RawDecoder.decode(path: real + "/stripped/exiftool_DNG.dng")) {
            XCTAssertTrue("\($0)".contains("no pixel data: the file's 13662 bytes cannot hold the 3516×2328 raw"), "\($0)")
        }
        for name in ["isp_DSC_1339_768x512_rggb.raw", "isp_DSC_1339_768x512_gbrg.raw"] {
            XCTAssertThrowsError(try RawDecoder.decode(path: "\(real)/\(name)")) { XCTAssertTrue("\($0)".contains("no raw header"), "\($0)") }
        }
        for name in ["RAW_CANON_D30_SRGB.CRW", "RAW_KODAK_DC50.KDC"] {
            XCTAssertNoThrow(try RawDecoder.decode(path: "\(real)/\(name)"), name)
        }
    }

    /// A TIFF-based raw whose strips end past the end of the file (cut short, or offsets pointing
    /// elsewhere) is refused before LibRaw reads garbage.
    func testStripsPastTheEndOfTheFileAreRefused() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("generated/synthetic_rggb_12bit.dng"))))
        let cut = directory + "/cut.dng"
        try Data(bytes.prefix(bytes.count - 700)).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try RawDecoder.decode(path: cut)) { error in
            XCTAssertEqual((error as? RawIOError)?.kind, .corruptData)
            XCTAssertTrue("\(error)".contains("runs past the end of the \(bytes.count - 700)-byte file"), "\(error)")
        }
        XCTAssertThrowsError(try RawDecoder.decode(data: Array(bytes.prefix(bytes.count - 700)), name: "cut.dng")) {
            XCTAssertTrue("\($0)".contains("runs past the end"), "\($0)")
        }
        XCTAssertNoThrow(try RawDecoder.decode(data: bytes, name: "whole.dng"))
    }

    /// An IFD whose SubIFD list holds a million entries is walked in bounded time (at most 64 IFDs).
    func testHugeSubIFDListsAreBounded() {
        var bytes: [UInt8] = Array("II*\u{0}".utf8) + [8, 0, 0, 0]
        bytes += [1, 0]                                   // one entry
        bytes += [0x4A, 0x01, 4, 0] + [0x40, 0x42, 0x0F, 0] + [26, 0, 0, 0]   // SubIFDs: LONG × 1,000,000 at offset 26
        bytes += [0, 0, 0, 0]                             // no next IFD
        bytes += [UInt8](repeating: 0, count: 4_000_000)  // a million zero offsets
        XCTAssertThrowsError(try RawDecoder.decode(data: bytes, name: "subifds.dng"))
    }
}
