import Foundation
import Support
import XCTest

/// sktime/UEA `.ts` files: header, cases × dimensions × steps, labels, missing values, and errors that name file, line and dimension.
final class TimeSeriesFileTests: XCTestCase {
    private let basic = """
        #A comment
        @problemName Motions
        @timeStamps false
        @missing false
        @univariate false
        @dimensions 2
        @equalLength true
        @seriesLength 3
        @classLabel true Standing Running
        @data
        0.5,1,-2e-1:3,4,5:Running
        1,2,3:-1,-2,-3:Standing
        """

    func testAMultivariateFileReadsCasesDimensionsAndLabels() throws {
        let file = try TimeSeriesFile.parse(basic, path: "m.ts")
        XCTAssertEqual(file.problemName, "Motions")
        XCTAssertEqual(file.dimensions, 2)
        XCTAssertEqual(file.classLabels, ["Standing", "Running"])
        XCTAssertEqual(file.series, [[[0.5, 1, -0.2], [3, 4, 5]], [[1, 2, 3], [-1, -2, -3]]])
        XCTAssertEqual(file.labels, ["Running", "Standing"])
        XCTAssertEqual(file.lines, [11, 12])
        XCTAssertEqual(file.equalLength, 3)
        XCTAssertFalse(file.hasNumericTarget)
    }

    func testMissingValuesUnequalLengthsAndRegressionTargets() throws {
        let text = "@missing true\n@equalLength false\n@targetLabel true\n@data\n1,?,3:4,5,6:2.5\n1,2:3,4:-1\n"
        let file = try TimeSeriesFile.parse(text, path: "r.ts")
        XCTAssertEqual(file.dimensions, 2)
        XCTAssertTrue(file.series[0][0][1].isNaN)
        XCTAssertEqual(file.labels, ["2.5", "-1"])
        XCTAssertNil(file.equalLength)
        XCTAssertEqual(file.length(case: 1), 2)
        XCTAssertTrue(file.hasNumericTarget)
    }

    func testBadFilesNameTheFileLineAndDimension() {
        let cases: [(String, String)] = [
            ("@dimensions 2\n@classLabel true a b\n@data\n1,2:3,4:c\n", "m.ts:4: label \"c\""),
            ("@dimensions 2\n@classLabel true a\n@data\n1,2:3,x:a\n", "m.ts:4 column \"dimension 2\": value 2"),
            ("@dimensions 2\n@classLabel true a\n@data\n1,2:3:a\n", "dimension 2\": has 1 values"),
            ("@dimensions 3\n@classLabel true a\n@data\n1:2:a\n", "has 2 dimensions, the file declares 3"),
            ("@classLabel true a\n@data\n1,?:a\n", "missing but the header has no @missing true"),
            ("@seriesLength 3\n@classLabel true a\n@data\n1,2:a\n", "@seriesLength says 3"),
            ("@equalLength true\n@classLabel true a\n@data\n1,2:a\n1:a\n", "m.ts:5: has 1 time steps, the first case 2"),
            ("@timeStamps true\n@data\n(1,2)\n", "m.ts:1: time-stamped"),
            ("@dimensions zero\n@data\n1\n", "m.ts:1: @dimensions takes a whole number"),
            ("@classLabel true\n@data\n1\n", "lists no labels"),
            ("@classLabel true a\n@data\n1,2\n", "no label field"),
            ("@targetLabel true\n@data\n1,2:inf\n", "not a finite number"),
            ("1,2\n", "m.ts:1: expected an @ header"),
            ("@problemName x\n", "no @data line"),
            ("@data\n", "no cases after @data"),
            ("@\n@data\n1\n", "without a key"),
            ("@classLabel true a a\n@data\n1:a\n", "a label twice"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try TimeSeriesFile.parse(text, path: "m.ts"), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text) → \(error)")
            }
        }
    }

    func testFilesWithNULBytesOrBadUTF8AreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nul = dir.appendingPathComponent("nul.ts"), latin = dir.appendingPathComponent("latin.ts")
        try Data("@data\n1\0\n".utf8).write(to: nul)
        try Data([0x40, 0x64, 0x61, 0x74, 0x61, 0x0A, 0xFF]).write(to: latin)
        XCTAssertThrowsError(try TimeSeriesFile.read(path: nul.path)) { XCTAssertTrue("\($0)".contains("NUL byte"), "\($0)") }
        XCTAssertThrowsError(try TimeSeriesFile.read(path: latin.path)) { XCTAssertTrue("\($0)".contains("not UTF-8"), "\($0)") }
        XCTAssertThrowsError(try TimeSeriesFile.read(path: dir.appendingPathComponent("absent.ts").path)) {
            XCTAssertTrue("\($0)".contains("absent.ts"), "\($0)")
        }
    }

    /// The real BasicMotions set (third-party, in ../shared; skipped when absent): 40 + 40 cases of 6 × 100, 4 classes.
    func testTheRealBasicMotionsFilesRead() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/real/tables/sktime_BasicMotions").standardized
        let train = dir.appendingPathComponent("BasicMotions_TRAIN.ts"), test = dir.appendingPathComponent("BasicMotions_TEST.ts")
        guard FileManager.default.fileExists(atPath: train.path) else { throw XCTSkip("BasicMotions of ../shared/real/tables is not beside this checkout (third-party files are never committed); "
                          + "the other TimeSeriesFileTests cover the .ts reader on generated text meanwhile") }
        for url in [train, test] {
            let file = try TimeSeriesFile.read(path: url.path)
            XCTAssertEqual(file.count, 40)
            XCTAssertEqual(file.dimensions, 6)
            XCTAssertEqual(file.equalLength, 100)
            XCTAssertEqual(Set(file.labels), ["Standing", "Running", "Walking", "Badminton"])
            XCTAssertEqual(file.classLabels, ["Standing", "Running", "Walking", "Badminton"])
        }
    }
}
