import Foundation
import RawQuant

/// A one-line progress bar on stderr: redrawn in place on a terminal, a line per tenth of an epoch otherwise.
final class ProgressBar {
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastLogged = (epoch: 0, tenth: -1)

    func update(_ p: TrainingProgress) {
        let fraction = Double(p.batch) / Double(max(p.batches, 1))
        let filled = Int(fraction * 24)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: 24 - filled)
        let eta = Int(p.remainingSeconds)
        let line = String(format: "epoch %d/%d [%@] %3d%% loss %.4f %.1f img/s ETA %02d:%02d:%02d", p.epoch, p.epochs, bar,
                          Int(fraction * 100), p.loss, p.imagesPerSecond, eta / 3600, eta / 60 % 60, eta % 60)
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else {
            let tenth = Int(fraction * 10)
            if (p.epoch, tenth) != lastLogged && (tenth != lastLogged.tenth || p.epoch != lastLogged.epoch) {
                lastLogged = (p.epoch, tenth)
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
    }

    func finish() { if interactive { FileHandle.standardError.write(Data("\n".utf8)) } }
}
