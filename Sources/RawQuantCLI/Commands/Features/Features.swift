import ArgumentParser
import RawQuant

/// `rawquant features …`: input feature compression for tables and sensor streams.
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compress each numeric input feature to N bits with a learned quantizer (tables, sensor streams).",
        subcommands: [FeaturesTrain.self, FeaturesEncode.self, FeaturesDecode.self, FeaturesPredict.self, FeaturesTable.self, FeaturesStreamTrain.self, FeaturesStreamTable.self, FeaturesSynth.self])
}
