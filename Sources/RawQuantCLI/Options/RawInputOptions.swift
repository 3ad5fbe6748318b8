import ArgumentParser
import Foundation
import RawQuant

/// How raw files are accepted (inspect, simulate, detect, fit-quantizer).
struct RawInputOptions: ParsableArguments {
    @Flag(help: "Accept raws whose visible data are blank (every pixel equal) or end in rows of zeros (stripped or truncated pixel data).")
    var allowBlank = false

    @Flag(help: "Accept files without a raw header that LibRaw identifies by their size alone (a warning names the guessed camera).")
    var allowHeaderless = false

    /// The decode options these flags ask for.
    var decodeOptions: RawDecodeOptions { RawDecodeOptions(allowBlank: allowBlank, allowSizeIdentified: allowHeaderless) }

    /// Prints a warning for each of `files` that will be read by LibRaw's size guess.
    func warnAboutGuesses(_ files: [String]) {
        guard allowHeaderless else { return }
        for file in files where FileManager.default.fileExists(atPath: file) && !RawDecoder.hasRecognisedHeader(path: file) {
            FileHandle.standardError.write(Data("rawquant: warning: \(Untrusted.path(file)): no raw header; LibRaw guesses the camera from the file size\n".utf8))
        }
    }
}
