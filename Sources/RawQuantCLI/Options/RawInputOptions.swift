import ArgumentParser
import Foundation
import RawQuant

/// How raw files are accepted (inspect, simulate, detect, fit-quantizer, train, eval).
struct RawInputOptions: ParsableArguments {
    @Flag(help: "Accept raws whose visible data are blank (every pixel equal) or end in rows of zeros (stripped or truncated pixel data).")
    var allowBlank = false

    @Flag(help: "Accept files without a raw header that LibRaw identifies by their size alone (a warning names the guessed camera).")
    var allowHeaderless = false

    @Option(help: ArgumentHelp("Read every input as a mosaic of this format instead of a camera raw: a headerless dump of samples, or a grayscale PNG or TIFF. "
                               + "WIDTHxHEIGHT,BITS,CFA,BLACK,WHITE[,le|be][,u16|u24], e.g. 768x512,14,RGGB,600,15520 (default le,u16).",
                               valueName: "format"))
    var rawFormat: String?

    func validate() throws {
        if let rawFormat {
            do { _ = try RawFormat(parsing: rawFormat) } catch { throw ValidationError("--raw-format: \(error)") }
            if allowHeaderless { throw ValidationError("--allow-headerless (LibRaw's size guess) and --raw-format (a description) exclude each other") }
        }
    }

    /// The decode options these flags ask for.
    var decodeOptions: RawDecodeOptions {
        RawDecodeOptions(allowBlank: allowBlank, allowSizeIdentified: allowHeaderless, rawFormat: rawFormat.flatMap { try? RawFormat(parsing: $0) })
    }

    /// Prints a warning for each of `files` that will be read by LibRaw's size guess.
    func warnAboutGuesses(_ files: [String]) {
        guard allowHeaderless, rawFormat == nil else { return }
        for file in files where FileManager.default.fileExists(atPath: file) && !RawDecoder.hasRecognisedHeader(path: file) {
            FileHandle.standardError.write(Data("rawquant: warning: \(Untrusted.path(file)): no raw header; LibRaw guesses the camera from the file size\n".utf8))
        }
    }
}
