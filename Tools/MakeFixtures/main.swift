// Writes the generated DNG fixtures into Fixtures/generated/ (see TestSupport's SyntheticMosaic for
// their content). Run from the repository root:  swift run make-fixtures
import Foundation
import TestSupport

let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Fixtures/generated"
do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for mosaic in SyntheticMosaic.all {
        let path = (directory as NSString).appendingPathComponent(mosaic.fileName)
        try mosaic.write(to: path)
        print("wrote \(path)")
    }
} catch {
    FileHandle.standardError.write(Data("make-fixtures: \(error)\n".utf8))
    exit(1)
}
