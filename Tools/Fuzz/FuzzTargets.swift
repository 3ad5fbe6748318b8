import Bayer
import Detection
import DetectionData
import FeatureCompression
import Foundation
import Quantization
import RawIO
import Support
import TensorCore

/// The project's readers as fuzz targets: each takes arbitrary bytes and must either read them or throw —
/// never trap, hang or take unbounded memory. Built as a libFuzzer binary by `Tools/fuzz.sh`
/// (`-sanitize=fuzzer,address -DFUZZING`); built normally it replays inputs (a regression runner).
enum FuzzTarget: String, CaseIterable {
    case safetensors, rqm, rqf, voc, coco, yolo, classNames, csv, dng, png, rawFormat, checkpoint, quantizer, featureModel, fileList

    /// Reads `bytes` as this target's format; errors are expected, traps are the bugs.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .safetensors: _ = try? SafeTensorsCodec.decode(bytes)
        case .rqm: _ = try? PackedMosaicFile.decode(bytes)
        case .rqf: _ = try? FeatureCodeFile.decode(bytes, codec: FuzzTarget.codec.codec, featureNames: FuzzTarget.codec.names)
        case .voc: _ = try? AnnotationParser.voc(bytes, path: "fuzz.xml")
        case .coco: _ = try? AnnotationParser.coco(bytes, path: "instances_fuzz.json")
        case .yolo: _ = try? YOLOAnnotations.parse(bytes, path: "fuzz.txt", classCount: 80)
        case .classNames:
            _ = try? ClassNamesFile.parse(bytes, path: "fuzz.yaml", yaml: true)
            _ = try? ClassNamesFile.parse(bytes, path: "fuzz.names", yaml: false)
        case .csv:
            // The same bytes as a CSV with and without a header and as ARFF, loaded strictly and the paper's way.
            let text = String(decoding: bytes, as: UTF8.self)
            let tables = [try? CSVTable.parse(text, path: "fuzz.csv"), try? CSVTable.parse(text, path: "fuzz.csv", header: false),
                          (try? ARFFTable.parse(text, path: "fuzz.arff"))?.table]
            for case let table? in tables {
                guard let target = table.columns.last else { continue }
                _ = try? TabularDataset.load(table, target: target)
                _ = try? TabularDataset.load(table, target: target, options: TableLoadOptions(numericOnly: true, dropMissingRows: true))
            }
            // And as a sktime/UEA .ts file, read as sensor-stream windows.
            if let series = try? TimeSeriesFile.parse(text, path: "fuzz.ts") { _ = try? SensorStreamDataset(series) }
        case .dng: _ = try? RawDecoder.decode(data: bytes, name: "fuzz.dng")
        case .png: _ = try? PNGFile.decode(data: bytes, name: "fuzz.png")
        case .rawFormat:
            // The first line is a --raw-format description, the rest the headerless samples it describes.
            let line = bytes.firstIndex(of: 10) ?? bytes.count
            if let format = try? RawFormat(parsing: String(decoding: bytes[..<line], as: UTF8.self)) {
                _ = try? RawDecoder.decode(data: Array(bytes.dropFirst(line + 1)), name: "fuzz.raw", options: RawDecodeOptions(rawFormat: format))
            }
        case .checkpoint:
            if let file = try? SafeTensors.decode(bytes) { _ = try? RawDetector.load(file, path: "fuzz.safetensors") }
        case .quantizer: _ = try? QuantizerFile.decode(bytes)
        case .featureModel:
            if let file = try? SafeTensors.decode(bytes) {
                _ = try? FeatureModelFile.read(file)
                _ = try? SensorStreamModelFile.read(file)
            }
        case .fileList:
            if let paths = try? BatchSelection.parseList(bytes, path: "fuzz.txt"), let shard = try? BatchSelection.Shard(index: 2, count: 3) {
                _ = paths.filter(shard.contains)
            }
        }
    }

    /// A small trained feature model's codec, for .rqf files (made once, from a fixed seed).
    static let codec: (codec: FeatureCodec, names: [String]) = {
        let table = TableGenerator.friedman1.rows(count: 120, seed: 1)
        let data = TabularDataset(featureNames: Array(table.columns.dropLast()), targetName: "y", task: .regression, classLabels: [],
                                  features: table.rows.map { Array($0.dropLast()) }, targets: table.rows.map { $0.last! })
        var options = FeatureTrainingOptions(method: .bwsq, bits: 3)
        options.epochs = 1
        let model = FeatureTrainer.train(data, split: TabularSplits.holdOut(count: data.count, seed: 1), options: options).model
        return (model.codec!, data.featureNames)
    }()

    /// The target named by `RAWQUANT_FUZZ_TARGET`.
    static var selected: FuzzTarget {
        let name = ProcessInfo.processInfo.environment["RAWQUANT_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("RAWQUANT_FUZZ_TARGET must be one of \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }
}

#if FUZZING
/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.selected.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The executable's entry point as SwiftPM links it (`main` is defined as this symbol): hands over to
/// libFuzzer's driver with the command line.
@_cdecl("rawquant_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    _ = FuzzTarget.selected
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
#else
/// Replays inputs through one target: `rawquant-fuzz TARGET FILE|DIR …` (the regression corpus);
/// `rawquant-fuzz seed FILE` writes a valid .rqf for the harness's codec.
@main
struct FuzzReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "seed", arguments.count == 2 {
            // A valid .rqf for the harness's codec: the seed the .rqf target starts from.
            let (codec, names) = FuzzTarget.codec
            let codes = (0..<(4 * codec.features)).map { UInt8($0 % (1 << codec.bits)) }
            let bytes = (try? FeatureCodeFile.encode(codes: codes, codec: codec, featureNames: names)) ?? []
            FileManager.default.createFile(atPath: arguments[1], contents: Data(bytes))
            return
        }
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: rawquant-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE|DIR …")
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run([UInt8](data))
                count += 1
            }
        }
        print("\(target.rawValue): \(count) inputs replayed without a crash")
    }
}
#endif
