import Dispatch
import Foundation
import Quantization
import RawIO
import Support
import Bayer
import ISP

/// Settings of a `simulate` run.
public struct SimulateOptions: Sendable {
    public var quantizer: QuantizerSpec
    /// Where outputs go; nil = beside each input.
    public var outputDirectory: String?
    public var writeDNG = true
    public var writePreview = true
    public var jpegQuality = 90
    /// Longest side of the preview JPEG in pixels (an integer box downscale); nil = full size.
    public var previewMaxSide: Int?
    public var decode = RawDecodeOptions()

    public init(quantizer: QuantizerSpec, outputDirectory: String? = nil) {
        self.quantizer = quantizer
        self.outputDirectory = outputDirectory
    }

    /// The default quantizer: the learned log at `bits` (``QuantizerSpec/defaultQuantizer(bits:)``).
    public static func defaultQuantizer(bits: Int) throws -> QuantizerSpec {
        try QuantizerSpec.defaultQuantizer(bits: bits)
    }
}

/// Decodes a raw file, quantizes it as the sensor would and writes `name.qN.rqm`, `name.qN.dng`
/// and `name.qN.jpg`, then `name.qN.manifest.json` (each output's name and size) last; all outputs of a
/// file appear together or not at all, and a set is complete when its manifest exists and matches.
public enum SimulationJob {
    /// The output paths for `input` (`name.ext` → `DIR/name.qN.{rqm,dng,jpg}`).
    public static func outputPaths(for input: String, bits: Int, directory: String?) -> [String: String] {
        let url = URL(fileURLWithPath: input)
        let stem = url.deletingPathExtension().lastPathComponent
        let directoryURL = directory.map { URL(fileURLWithPath: $0) } ?? url.deletingLastPathComponent()
        var paths: [String: String] = [:]
        for kind in ["rqm", "dng", "jpg"] { paths[kind] = directoryURL.appendingPathComponent("\(stem).q\(bits).\(kind)").path }
        paths["manifest"] = directoryURL.appendingPathComponent("\(stem).q\(bits).manifest.json").path
        return paths
    }

    /// The outputs `options` asks of `input` (rqm, and dng and jpg unless switched off, and the manifest).
    public static func expectedOutputs(for input: String, options: SimulateOptions) -> [String: String] {
        var paths = outputPaths(for: input, bits: options.quantizer.bits, directory: options.outputDirectory)
        if !options.writeDNG { paths["dng"] = nil }
        if !options.writePreview { paths["jpg"] = nil }
        return paths
    }

    /// Whether `input`'s outputs are already complete: its manifest exists, every file it lists has its listed
    /// size, and it lists every output `options` asks for (`--skip-existing`; a partial set never counts).
    public static func outputsAreComplete(for input: String, options: SimulateOptions) -> Bool {
        let paths = expectedOutputs(for: input, options: options)
        guard let listed = BatchSelection.completeOutputs(manifest: paths["manifest"]!) else { return false }
        return paths.filter { $0.key != "manifest" }.values.allSatisfy { listed.contains(URL(fileURLWithPath: $0).lastPathComponent) }
    }

    /// Processes one file.
    public static func run(path: String, options: SimulateOptions) throws -> SimulationReport {
        do {
            if let directory = options.outputDirectory { try AtomicOutput.prepareDirectory(directory) }
            let image = try RawDecoder.decode(path: path, options: options.decode)
            let result = try SensorSimulator.simulate(image, spec: options.quantizer)
            let paths = expectedOutputs(for: path, options: options)
            try writeOutputs(result.mosaic, metadata: image.metadata, source: path, paths: paths, options: options)
            return report(path: path, image: image, result: result, outputs: paths)
        } catch let error as RawIOError {
            throw FileError(path: error.path, message: error.message)
        } catch let error as QuantizationError {
            throw FileError(path: path, message: error.message)
        }
    }

    /// Processes several files in parallel (at most `concurrency` at once); results in input order.
    /// `finished(index, result)` is called as each file is done (one call at a time, in completion order).
    public static func runAll(paths: [String], options: SimulateOptions,
                              concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
                              finished: (@Sendable (Int, Result<SimulationReport, FileError>) -> Void)? = nil) -> [Result<SimulationReport, FileError>] {
        let results = LockedSlots<Result<SimulationReport, FileError>>(count: paths.count)
        let workers = max(1, min(concurrency, paths.count))
        let report = NSLock()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: paths.count, by: workers) {
                let result: Result<SimulationReport, FileError>
                do {
                    result = .success(try run(path: paths[index], options: options))
                } catch let error as FileError {
                    result = .failure(error)
                } catch {
                    result = .failure(FileError(path: paths[index], message: "\(error)"))
                }
                results[index] = result
                if let finished {
                    report.lock()
                    finished(index, result)
                    report.unlock()
                }
            }
        }
        return (0..<paths.count).map { results[$0]! }
    }

    private static func writeOutputs(_ mosaic: PackedMosaic, metadata: RawMetadata, source: String,
                                     paths: [String: String], options: SimulateOptions) throws {
        let staging = OutputStaging()
        let bytes = try PackedMosaicFile.encode(mosaic, source: URL(fileURLWithPath: source).lastPathComponent)
        try staging.stage(paths["rqm"]!) { try AtomicOutput.write(bytes, to: $0) }
        if paths["dng"] != nil || paths["jpg"] != nil {
            let codes = mosaic.codes()
            if let dng = paths["dng"] {
                try staging.stage(dng) { try QuantizedDNG.write(mosaic, codes: codes, metadata: metadata, to: $0) }
            }
            if let jpg = paths["jpg"] {
                let isp = ReferenceISP(mosaic: mosaic, codes: codes, metadata: metadata)
                let preview = isp.rows(downscale: isp.downscaleFactor(maxSide: options.previewMaxSide))
                try staging.stage(jpg) { try JPEGFile.write(to: $0, width: preview.width, height: preview.height, quality: options.jpegQuality, fillRow: preview.fill) }
            }
        }
        try staging.commit(manifest: paths["manifest"]!)
    }

    private static func report(path: String, image: BayerImage, result: SimulationResult,
                               outputs: [String: String]) -> SimulationReport {
        let bits = result.mosaic.bits
        let labels = image.cfa.positionLabels
        var histograms: [String: [Int]] = [:]
        for p in 0..<4 { histograms[labels[p]] = result.statistics.histograms[p] }
        let pixels = image.width * image.height
        return SimulationReport(
            file: path, make: image.metadata.make, model: image.metadata.model, width: image.width, height: image.height,
            cfa: image.cfa.name, sourceBits: image.adcBits, bits: bits, quantizer: result.mosaic.quantizer.summary,
            pixels: pixels, payloadBytes: result.mosaic.payload.count,
            bitsPerPixel: Double(result.mosaic.payload.count * 8) / Double(pixels),
            compressionVsSource: Double(image.adcBits) / Double(bits), psnrLinear: result.statistics.psnrLinear,
            entropyBitsPerPixel: result.statistics.entropyBitsPerPixel, histograms: histograms, outputs: outputs)
    }
}
