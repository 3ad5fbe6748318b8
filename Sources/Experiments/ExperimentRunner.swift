import DetectionData
import Detection
import Foundation
import Quantization
import RawIO
import TensorCore
import TrainableQuantizers
import Support
import Bayer

/// Runs an ``ExperimentPlan``: every row and seed is trained and evaluated in its own directory
/// (`OUT/runs/ROW/seed-S/`), its result kept in `result.json`, so an interrupted experiment resumes where
/// it stopped (an unfinished run continues from its checkpoint) and a subset of rows can be run alone.
public enum ExperimentRunner {
    /// Runs (or loads) the results of `rows` (nil = all) of the plan; `log` receives one line per event. With
    /// `trainMissing` false nothing is trained: finished runs are loaded and the others skipped (a report of
    /// what is there).
    public static func run(_ plan: ExperimentPlan, outputDirectory: String, rows only: Set<String>? = nil, trainMissing: Bool = true,
                           log: (String) -> Void = { _ in }) throws -> [ExperimentRunResult] {
        let splits = try Splits(plan)
        var results: [ExperimentRunResult] = []
        for row in plan.rows where only?.contains(row.id) ?? true {
            for seed in plan.seeds {
                let directory = "\(outputDirectory)/runs/\(row.id)/seed-\(seed)"
                let resultPath = directory + "/result.json"
                if let data = FileManager.default.contents(atPath: resultPath),
                   var saved = try? JSONDecoder().decode(ExperimentRunResult.self, from: data) {
                    if saved.deploySpec == nil, let spec = bestDeploySpec(directory: directory) {
                        // A result written before results carried their quantizer: take it from the best checkpoint.
                        saved.deploySpec = spec
                        try AtomicOutput.write(Array(try CanonicalJSON.encode(saved)), to: resultPath)
                    }
                    results.append(saved)
                    log("\(row.id) seed \(seed): done before (mAP50 \(String(format: "%.4f", saved.mAP50)))")
                    continue
                }
                guard trainMissing else {
                    log("\(row.id) seed \(seed): not run yet")
                    continue
                }
                log("\(row.id) seed \(seed): training")
                let started = Date()
                var result = try train(row, seed: seed, plan: plan, splits: splits, directory: directory)
                result.started = started
                result.finished = Date()
                result.threads = TensorRuntime.threads
                try AtomicOutput.write(Array(try CanonicalJSON.encode(result)), to: resultPath)
                results.append(result)
                log(String(format: "%@ seed %llu: mAP50 %.4f (dark third %.4f), %.0f s", row.id, seed, result.mAP50, result.darkMAP50, result.trainSeconds))
            }
        }
        return results
    }

    /// The dataset's splits, the darkest third of the test images, and the low-light test set.
    struct Splits {
        var training: LoadedDataset
        var validation: LoadedDataset
        var test: LoadedDataset
        var darkTestIDs: Set<String>
        var firstImage: BayerImage
        /// The test images the low-light column re-exposes (clean ones where the plan has a training dataset).
        var lowLightTest: LoadedDataset?

        init(_ plan: ExperimentPlan) throws {
            let directory = plan.dataset
            training = try DatasetLoader.load(directory: plan.trainingDataset ?? directory, split: "train")
            let options = DatasetLoadOptions(classes: training.classes)
            validation = try DatasetLoader.load(directory: directory, split: "val", options: options)
            test = try DatasetLoader.load(directory: directory, split: "test", options: options)
            guard let first = training.images.first else { throw FileError(path: directory, "the train split is empty") }
            firstImage = try RawDecoder.decode(path: first.rawPath, options: training.decode)
            darkTestIDs = try ExperimentRunner.darkestThird(of: test, manifest: directory + "/dataset.json")
            if plan.lowLightExposure != nil {
                lowLightTest = try plan.trainingDataset.map { try DatasetLoader.load(directory: $0, split: "test", options: options) } ?? test
            }
        }
    }

    /// Ids of the third of `dataset`'s images with the lowest exposure, from the dataset's manifest: a synthetic
    /// set's `images[].exposure` or an unprocessed set's `entries[].draw.exposure`.
    static func darkestThird(of dataset: LoadedDataset, manifest path: String) throws -> Set<String> {
        struct Synthetic: Decodable {
            struct Image: Decodable { var id: String; var exposure: Double }
            var images: [Image]
        }
        struct Unprocessed: Decodable {
            struct Entry: Decodable {
                struct Draw: Decodable { var exposure: Double }
                var id: String
                var draw: Draw
            }
            var entries: [Entry]
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(path: path, "dataset.json (image exposures) is needed to find the darkest third")
        }
        let pairs: [(String, Double)]
        if let synthetic = try? JSONDecoder().decode(Synthetic.self, from: data) {
            pairs = synthetic.images.map { ($0.id, $0.exposure) }
        } else if let unprocessed = try? JSONDecoder().decode(Unprocessed.self, from: data) {
            pairs = unprocessed.entries.map { ($0.id, $0.draw.exposure) }
        } else {
            throw FileError(path: path, "dataset.json holds no image exposures (neither images[].exposure nor entries[].draw.exposure)")
        }
        let exposures = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        let sorted = dataset.images.map(\.id).sorted { (exposures[$0] ?? 1, $0) < (exposures[$1] ?? 1, $1) }
        return Set(sorted.prefix(max(1, sorted.count / 3)))
    }

    /// The seeded re-exposure of the low-light test: image `index` always gets the same draw, whatever the row.
    static func lowLight(_ plan: ExperimentPlan) -> ((BayerImage, Int) -> BayerImage)? {
        guard let range = plan.lowLightExposure, range.count == 2 else { return nil }
        let iso = plan.isoRange ?? [100, 3200]
        let augmentation = PhotometricAugmentation(exposureRange: range[0]...range[1], isoRange: iso[0]...iso[1], gainJitter: 0,
                                                   noise: plan.noise ?? SensorNoiseProfile())
        return { image, index in
            var random = SeededRandom.stream(seed: 0x4C4F_574C_4947_4854, index: UInt64(index))
            return augmentation.apply(image, random: &random)
        }
    }

    private static func train(_ row: ExperimentRow, seed: UInt64, plan: ExperimentPlan, splits: Splits, directory: String) throws -> ExperimentRunResult {
        let detector = try RawDetector.forTraining(try QuantizerDescription(row.quantizer, bits: row.bits ?? 8), classes: splits.training.classes,
                                                   baseChannels: plan.width, deepStages: plan.deepStages ?? 0,
                                                   inputScale: plan.inputScale ?? 1, residualBlocks: plan.residualBlocks ?? 0,
                                                   seed: seed, firstImage: splits.firstImage)
        var options = TrainingOptions(outputDirectory: directory)
        options.epochs = plan.epochs
        options.batchSize = plan.batchSize
        options.learningRate = plan.learningRate
        options.quantizerLearningRate = plan.quantizerLearningRate
        options.seed = seed
        options.gammaStart = plan.gammaStart
        options.codeStep = plan.codeStep ?? .straightThrough
        options.cropWidth = plan.crop
        options.cropHeight = plan.crop
        if let limit = plan.maxMemoryBytes { options.maxMemoryBytes = limit }
        if let r = plan.scaleRange, r.count == 2 { options.scaleRange = r[0]...r[1] }
        options.mosaicProbability = plan.mosaic ?? 0
        if let r = plan.reexpose, r.count == 2 {
            let iso = plan.isoRange ?? [100, 3200]
            options.photometric = PhotometricAugmentation(exposureRange: r[0]...r[1], isoRange: iso[0]...iso[1], gainJitter: plan.gainJitter ?? 0.1,
                                                          noise: plan.noise ?? SensorNoiseProfile())
        }
        let records = try DetectorTrainer(detector: detector, training: splits.training, validation: splits.validation, options: options).run()
        // Evaluate the checkpoint with the best validation mAP (the test split is never used to choose).
        let best = (directory as NSString).appendingPathComponent("best.safetensors")
        let chosen = FileManager.default.fileExists(atPath: best) ? try RawDetector.load(from: best).detector : detector
        let (result, detections) = try DetectorEvaluation.run(chosen, on: splits.test)
        var darkTruth: [String: [GroundTruthObject]] = [:]
        for image in splits.test.images where splits.darkTestIDs.contains(image.id) { darkTruth[image.id] = image.objects }
        let dark = AveragePrecision.evaluate(groundTruth: darkTruth, detections: detections.filter { splits.darkTestIDs.contains($0.image) },
                                               classes: chosen.classes)
        var lowLightMAP50: Double?
        if let test = splits.lowLightTest, let transform = lowLight(plan) {
            lowLightMAP50 = try DetectorEvaluation.run(chosen, on: test, transform: transform).result.mAP50 ?? 0
        }
        let spec = try? chosen.quantizer.deploySpec()
        var run = ExperimentRunResult(row: row, seed: seed, mAP50: result.mAP50 ?? 0, mAP: result.mAP ?? 0, darkMAP50: dark.mAP50 ?? 0,
                                   ap50PerClass: result.ap50PerClass.compactMapValues { $0 }, lowLightMAP50: lowLightMAP50,
                                   trainSeconds: records.reduce(0) { $0 + $1.seconds },
                                   imagesPerSecond: records.map(\.imagesPerSecond).reduce(0, +) / Double(max(records.count, 1)),
                                   quantizer: spec?.summary, gammas: spec?.kind == .gamma ? spec?.gammas : nil, deploySpec: spec)
        run.ap50PerSize = result.ap50PerSize?.mapValues { $0.compactMapValues { $0 } }
        return run
    }

    /// The deploy quantizer of a run's best checkpoint, nil without one (or for float and ISP inputs).
    static func bestDeploySpec(directory: String) -> QuantizerSpec? {
        let best = directory + "/best.safetensors"
        guard FileManager.default.fileExists(atPath: best) else { return nil }
        return try? RawDetector.load(from: best).detector.quantizer.deploySpec()
    }
}
