import Foundation
import RawIO
import TestSupport
import XCTest

/// Inputs the fuzzer once crashed on (Tests/FuzzRegressions/dng): each is now a clear error.
final class FuzzRegressionTests: XCTestCase {
    func testEveryDNGRegressionIsAnErrorNotACrash() throws {
        let folder = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("Tests/FuzzRegressions/dng").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("crash-") }
        XCTAssertFalse(files.isEmpty)
        for name in files {
            let path = folder + "/" + name
            XCTAssertThrowsError(try RawDecoder.decode(path: path), name) { error in
                XCTAssertTrue(error is RawIOError, "\(error)")
            }
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            XCTAssertThrowsError(try RawDecoder.decode(data: bytes, name: name))
        }
    }

    /// LibRaw's crash on the Hasselblad model string is caught in the child process and named.
    func testALibRawCrashIsReportedAsSuch() throws {
        let path = Fixtures.directory.deletingLastPathComponent()
            .appendingPathComponent("Tests/FuzzRegressions/dng/crash-66c87a79a6c6e71acdc84a5ac2074100e1713a72").path
        XCTAssertThrowsError(try RawDecoder.decode(path: path)) { error in
            XCTAssertTrue("\(error)".contains("LibRaw crashes on this file"), "\(error)")
        }
    }
}
