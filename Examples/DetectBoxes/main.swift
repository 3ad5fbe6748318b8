// The library in a handful of lines: decode a raw file, quantize it as a 4-bit sensor would, detect on
// the server from the codes alone, print the boxes.
//
//     swift run -c release example-detect [FILE.dng]
import RawQuant

TensorRuntime.configure()                                                          // BLAS kernels, malloc tuning
let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Fixtures/scenes/scene_000017.dng"
do {
    let image = try RawDecoder.decode(path: path)                                  // LibRaw → Bayer mosaic
    let detector = try RawDetector.load(from: BundledModel.path()).detector         // 4-bit learned-γ detector
    let sensor = try SensorSimulator.simulate(image, spec: detector.quantizer.deploySpec())  // what the sensor sends
    print("\(path): \(sensor.mosaic.payload.count) bytes of \(sensor.mosaic.bits)-bit codes")
    for box in try detector.detect(codes: sensor.mosaic, name: path) where box.score >= 0.3 {
        print(box.className, String(format: "%.2f", box.score), box.box.xmin, box.box.ymin, box.box.xmax, box.box.ymax)
    }
} catch {
    print("error: \(error)")
}
