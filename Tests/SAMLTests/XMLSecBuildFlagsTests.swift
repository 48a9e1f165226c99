import Foundation
import Testing

/// SwiftPM drops the -D flags of `pkg-config --cflags xmlsec1-openssl`, so Sources/CXMLSec/shim.h states them. One of
/// them (XMLSEC_NO_SIZE_T) changes the library's ABI; if a new libxmlsec1 changed them, this test says so before a
/// mismatched size does something worse.
@Suite struct XMLSecBuildFlagsTests {
    @Test func theShimDefinesWhatPkgConfigDefines() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pkg-config")
        process.arguments = ["--cflags", "xmlsec1-openssl"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let flags = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var shimURL = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { shimURL.deleteLastPathComponent() }
        let shim = try String(contentsOf: shimURL.appendingPathComponent("Sources/CXMLSec/shim.h"), encoding: .utf8)
        let defines = flags.split(separator: " ").filter { $0.hasPrefix("-D") }.map { $0.dropFirst(2) }
        #expect(!defines.isEmpty)
        for define in defines {
            let parts = define.split(separator: "=", maxSplits: 1)
            let expected = "#define \(parts[0]) \(parts.count > 1 ? String(parts[1]) : "1")"
            #expect(shim.contains(expected), "shim.h lacks \(expected)")
        }
    }
}
