import Foundation
import TestSupport
import XCTest

/// `features train` reads the shared real tables in their own formats: WISDM's ARFF (with `?` values), the
/// header-less wine-quality CSV and California housing (a categorical column, missing values). Skipped when
/// ../shared/real/tables is absent (third-party files are never committed).
final class RealTablesCommandTests: XCTestCase {
    func testTheRealTablesTrainInTheirOwnFormats() throws {
        let tables = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real/tables").path
        guard FileManager.default.fileExists(atPath: tables + "/winequality-red.csv") else {
            throw XCTSkip("the third-party tables of ../shared/real/tables are not beside this checkout (they are never committed)")
        }
        let runs: [([String], String)] = [
            (["--data", tables + "/wisdm_v1.1_transformed/WISDM_ar_v1.1_transformed.arff", "--target", "class", "--numeric-only", "--drop-missing"],
             "left out 474 rows with missing values"),
            (["--data", tables + "/winequality-red.csv", "--no-header", "--target", "12"], "regression on 11 features"),
            (["--data", tables + "/california_housing_handsonml2.csv", "--target", "median_house_value", "--numeric-only", "--drop-missing"],
             "left out non-numeric columns ocean_proximity; left out 207 rows with missing values"),
        ]
        for (arguments, expected) in runs {
            let outcome = try CLIRunner.run(["features", "train"] + arguments + ["--epochs", "1", "--bits", "4"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue((outcome.stdout + outcome.stderr).contains(expected), outcome.stdout + outcome.stderr)
        }
        let strict = try CLIRunner.run(["features", "train", "--data", tables + "/california_housing_handsonml2.csv", "--target", "median_house_value", "--epochs", "1"])
        XCTAssertNotEqual(strict.status, 0)
        XCTAssertTrue(strict.stderr.contains("ocean_proximity"), strict.stderr)
    }
}
