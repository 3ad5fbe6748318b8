import Foundation
import NN
import TensorCore

/// tensorbench [--threads N] [--batch B] [--steps S]: runs the reference net
/// benchmark and prints `train-step-ms: X` and `forward-ms: Y`.
var threads = TensorRuntime.defaultThreads, batch = 16, steps = 20
var args = CommandLine.arguments.dropFirst()
func usage() -> Never {
    print("usage: tensorbench [--threads N] [--batch B] [--steps S]")
    exit(2)
}
while let flag = args.popFirst() {
    guard let valueText = args.popFirst(), let value = Int(valueText), value >= 1 else { usage() }
    switch flag {
    case "--threads": threads = value
    case "--batch": batch = value
    case "--steps": steps = value
    default: usage()
    }
}
print(runReferenceNetBenchmark(threads: threads, batch: batch, steps: steps))
