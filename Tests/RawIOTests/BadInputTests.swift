import RawIO
import TestSupport
import XCTest

/// Every kind of bad input becomes a ``RawIOError`` naming the file, never a crash.
final class BadInputTests: XCTestCase {
    private func assertRefused(_ path: String, _ kind: RawIOError.Kind, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try RawDecoder.decode(path: path), file: file, line: line) { error in
            guard let error = error as? RawIOError else { return XCTFail("not a RawIOError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
        }
    }

    func testEveryBadInputIsRefusedWithItsKind() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try BadInputs.write(into: directory)
        assertRefused(directory + "/does-not-exist.dng", .fileNotFound)
        assertRefused(directory, .isDirectory)
        assertRefused(files["empty.dng"]!, .emptyFile)
        assertRefused(files["random.cr2"]!, .unsupportedFormat)
        assertRefused(files["truncated-header.cr2"]!, .corruptData)
        assertRefused(files["truncated-pixels.cr2"]!, .corruptData)
        assertRefused(files["corrupt-pixels.cr2"]!, .corruptData)
        assertRefused(files["truncated.dng"]!, .corruptData)
        assertRefused(files["absurd-dimensions.dng"]!, .tooLarge)
        assertRefused(Fixtures.path("RAW_KODAK_C330_FORMAT_NONE_YRGB.raw"), .notBayer)
        assertRefused(Fixtures.path("exiftool-stub-CanonRaw.crw"), .corruptData)
    }

    func testMemoryLimitRefusesBeforeUnpacking() throws {
        // 48×32 at 16 bits is 3 KB: a 0 MiB cap must refuse it.
        XCTAssertThrowsError(try RawDecoder.decode(path: Fixtures.path("generated/synthetic_rggb_12bit.dng"),
                                                   options: RawDecodeOptions(maxRawMemoryMB: 0))) { error in
            XCTAssertEqual((error as? RawIOError)?.kind, .tooLarge)
        }
    }

    func testEmptyBufferIsRefused() {
        XCTAssertThrowsError(try RawDecoder.decode(data: [], name: "buffer")) { error in
            XCTAssertEqual((error as? RawIOError)?.kind, .emptyFile)
        }
    }
}
