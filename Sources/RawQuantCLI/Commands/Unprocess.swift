import ArgumentParser
import Foundation
import RawQuant

struct Unprocess: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Invert labelled sRGB photos through a camera model into raw mosaics with their boxes (synth layout).",
        discussion: """
            Each photo: inverse tone curve → inverse sRGB → inverse colour matrix → inverse white balance → exposure \
            scaling → mosaic → shot and read noise → black level → ADC. The camera comes from --camera (any raw file \
            LibRaw reads; several mix cameras), by default the bundled Canon EOS 30D.
            """)

    @Option(help: "Folder of photos (JPEG or PNG), searched three levels deep; matched to annotations by file name. Repeat with --annotations to merge sources (an image id in two sources is taken from the first).")
    var images: [String] = []

    @Option(help: "Annotations: a COCO JSON file or folder, a folder of YOLO label files, or a folder of VOC XML files; one per --images.")
    var annotations: [String] = []

    @Option(help: "Annotation format: coco, yolo or voc (default: from --annotations).")
    var format: PhotoAnnotationFormat?

    @Option(help: "YOLO class-names file (one per line, or a data YAML's names:); default: one found near the labels.")
    var classNames: String?

    @Option(help: "Keep only these classes (comma-separated; other boxes are dropped, images kept as negatives).")
    var classes: NameList?

    @Option(help: "Camera raw file whose colour matrix, levels, CFA and white balance to use; repeat to mix cameras.")
    var camera: [String] = []

    @Option(help: "CFA of the mosaics: RGGB, BGGR, GRBG, GBRG, or mixed (default: the camera's).")
    var cfa: CFAChoice?

    @Option(help: "ADC depth in bits, 8...16 (default: the camera's).")
    var adcBits: Int?

    @Option(help: "Exposure scale LOW,HIGH, drawn log-uniformly (1 = the photo's own; default 0.05,1).")
    var exposureRange: NumberList<Double>?

    @Option(help: "ISO LOW,HIGH, drawn log-uniformly; sets shot and read noise (default 100,3200).")
    var isoRange: NumberList<Double>?

    @Option(help: "White-balance jitter j: red and blue gains times a factor in [1/(1+j), 1+j] (default 0.1).")
    var wbJitter: Double = 0.1

    @Option(help: "Full well at ISO 100 in electrons (sets shot noise; default 25000; a measured dark noise is solved again for it).")
    var fullWell: Double?

    @Flag(help: "No shot or read noise (for round trips).")
    var noNoise = false

    @Option(help: "Scale the photos by this factor first (mosaic sides rounded to even; default 1).")
    var scale: Double = 1

    @Option(help: "Put every image in this split (default: the source's splits, else seeded 70/10/20).")
    var split: String?

    @Option(help: "Seed: the same seed gives the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "Output folder (created if missing).")
    var out: String?

    @Flag(help: "Count and skip unreadable photos and malformed annotations instead of stopping.")
    var skipInvalid = false

    @Flag(help: "Print the camera profiles (JSON) that would be used, and stop.")
    var printCameras = false

    @Option(help: "Photos processed at once (default: the number of cores).")
    var jobs: Int?

    @OptionGroup var rawInput: RawInputOptions

    @OptionGroup var batch: BatchInputOptions

    func validate() throws {
        if let adcBits, !(8...16).contains(adcBits) { throw ValidationError("--adc-bits must be in 8...16, got \(adcBits)") }
        try Limits.checkRange(exposureRange, "exposure-range", 1e-4...16)
        try Limits.checkRange(isoRange, "iso-range", 1...1_000_000)
        if let fullWell, !(100...10_000_000).contains(fullWell) { throw ValidationError("--full-well must be in 100...10000000 electrons, got \(fullWell)") }
        guard wbJitter >= 0, wbJitter <= 1 else { throw ValidationError("--wb-jitter must be in 0...1, got \(wbJitter)") }
        guard scale > 0, scale <= 8, scale.isFinite else { throw ValidationError("--scale must be in (0, 8], got \(scale)") }
        if let split, !["train", "val", "test"].contains(split) { throw ValidationError("--split must be train, val or test; got \"\(split)\"") }
        if let jobs { try Limits.check(jobs, Limits.jobs, "jobs") }
        if !printCameras {
            guard !images.isEmpty, images.count == annotations.count else {
                throw ValidationError("give --images DIR and --annotations PATH, once per source (got \(images.count) and \(annotations.count))")
            }
            if out == nil { throw ValidationError("missing --out DIR") }
        }
    }

    func run() throws {
        rawInput.warnAboutGuesses(camera)
        let cameras = try Output.running {
            try camera.map { try CameraProfile(image: RawDecoder.decode(path: $0, options: rawInput.decodeOptions),
                                               name: URL(fileURLWithPath: $0).lastPathComponent) }
        }
        var options = UnprocessOptions(cameras: (cameras.isEmpty ? [CameraProfile.canonEOS30D] : cameras).map { camera in
            let deep = adcBits.map(camera.withADCBits) ?? camera
            return fullWell.map(deep.withFullWell) ?? deep
        })
        if printCameras {
            print(Output.json(options.cameras))
            return
        }
        switch cfa {
        case nil: options.cfa = UnprocessOptions.CFA.camera
        case .mixed?: options.cfa = UnprocessOptions.CFA.mixed
        case .fixed(let pattern)?: options.cfa = UnprocessOptions.CFA.fixed(pattern.name)
        }
        if let r = exposureRange?.values { options.exposureRange = r[0]...r[1] }
        if let r = isoRange?.values { options.isoRange = r[0]...r[1] }
        options.whiteBalanceJitter = wbJitter
        options.noise = !noNoise
        options.scale = scale
        options.split = split
        options.classes = classes?.names
        options.skipInvalid = skipInvalid
        options.seed = seed
        var selection = UnprocessBatch()
        selection.skipExisting = batch.skipExisting
        do {
            if let list = batch.filesFrom { selection.photos = Set(try BatchSelection.readList(list).map { ($0 as NSString).standardizingPath }) }
            selection.shard = try batch.shard.map(BatchSelection.Shard.init(parsing:))
        } catch {
            throw Output.failure(error)
        }
        if batch.jsonl { selection.report = { BatchInputOptions.emit(BatchInputOptions.line(file: $0, status: $1, outputs: $2, error: $3)) } }
        let bar = CountProgressBar(label: "unprocess")
        let manifest = try Output.running {
            var described: [PhotoSourceDescription] = [], sources: [PhotoSource] = []
            for (images, annotations) in zip(images, annotations) {
                let format = try self.format ?? PhotoSource.detectFormat(annotations)
                described.append(PhotoSourceDescription(images: images, annotations: annotations, format: format))
                sources.append(try PhotoSource.load(images: images, annotations: annotations, format: format, classNames: classNames,
                                                    skipInvalid: skipInvalid))
            }
            let source = PhotoSource.merged(sources)
            if let unknown = classes?.names.first(where: { !source.classes.contains($0) }) {
                throw FileError(path: annotations[0], "no \(Untrusted.quote(unknown)) boxes in the annotations (classes: \(Untrusted.escape(source.classes.joined(separator: ", "), limit: 300)))")
            }
            return try UnprocessedDataset.write(source: source, described: described, options: options,
                                                to: out!, concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                                batch: selection, progress: { bar.update($0, $1) })
        }
        bar.finish()
        guard !batch.jsonl else { return }
        let objects = manifest.entries.reduce(0) { $0 + $1.objects }
        let counts = ["train", "val", "test"].map { "\($0) \(manifest.splits[$0] ?? 0)" }.joined(separator: ", ")
        var line = "wrote \(manifest.entries.count) mosaics (\(objects) boxes; \(counts)) to \(out!)"
        if !manifest.skipped.isEmpty {
            let reasons = manifest.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            line += "; skipped " + reasons.joined(separator: ", ")
        }
        if let shard = selection.shard {
            line = "shard \(shard): " + line + " (dataset.json and the split lists are written by the last of the \(shard.count) shards to finish)"
        }
        print(line)
    }
}

extension PhotoAnnotationFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
