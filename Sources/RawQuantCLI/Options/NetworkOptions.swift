import ArgumentParser
import RawQuant

/// The detector network and batch options `train` and `experiment` share, with their checks.
struct NetworkOptions: ParsableArguments {
    @Option(help: "Batch size.")
    var batch: Int = 16

    @Option(help: "Network width: channels of the first stage (at least 4).")
    var width: Int = 16

    @Option(help: "Deep stages below ⅛ for large objects: 0 (the synthetic-shapes network), 1 (¹⁄₁₆) or 2 (¹⁄₁₆ and ¹⁄₃₂).")
    var deepStages: Int = 0

    @Option(help: "Residual blocks at the end of every stage from ¼ down (0 = the plain network), 0...8.")
    var residualBlocks: Int = 0

    @Option(help: "The scale at which the network sees mosaics (detection resamples and scales boxes back; train with --scale-range around it); default 1.")
    var inputScale: Double = 1

    @Option(help: "How learnable curves start: given (learned γ at --gamma, default 1.0, as the γ-Quant authors; learned log, γ-log and monotone at the fixed log) or median (the median training pixel maps to the middle code).")
    var gammaStart: GammaStart = .given

    @Option(help: "How curve quantizers step to codes in training: ste (hard codes, straight-through gradient) or noise (uniform noise of one code width; hard codes at validation).")
    var codeStep: CodeStep = .straightThrough

    @Option(help: "Refuse a run whose estimated memory exceeds this many GiB (default: three quarters of the machine's).")
    var maxMemory: Double?

    /// `--max-memory` in bytes, or the default.
    var maxMemoryBytes: Int { maxMemory.map { Int($0 * 1_073_741_824) } ?? MemoryBudget.defaultLimit }

    func validate() throws {
        if let maxMemory, !(maxMemory > 0 && maxMemory <= 1_048_576) { throw ValidationError("--max-memory must be in (0, 1048576] GiB, got \(maxMemory)") }
        try Limits.check(batch, Limits.detectorBatch, "batch")
        try Limits.check(width, Limits.width, "width")
        try Limits.check(deepStages, 0...2, "deep-stages")
        try Limits.check(residualBlocks, 0...DetectorConfiguration.maximumResidualBlocks, "residual-blocks")
        guard inputScale.isFinite, (0.05...4).contains(inputScale) else { throw ValidationError("--input-scale must be in 0.05...4, got \(inputScale)") }
    }
}
