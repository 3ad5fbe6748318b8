import ArgumentParser
import RawQuant

/// The detector network and batch options `train` and `experiment` share, with their checks.
struct NetworkOptions: ParsableArguments {
    @Option(help: "Batch size.")
    var batch: Int = 16

    @Option(help: "Network width: channels of the first stage (at least 4).")
    var width: Int = 16

    @Option(help: "How learnable γ starts: given (--gamma, default 1.0, as the γ-Quant authors) or median (the median training pixel maps to the middle code).")
    var gammaStart: GammaStart = .given

    func validate() throws {
        try Limits.check(batch, Limits.detectorBatch, "batch")
        try Limits.check(width, Limits.width, "width")
    }
}
