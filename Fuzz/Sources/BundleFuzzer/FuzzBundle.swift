import Crypto
import Foundation
import FuzzSupport

@testable import HoopCore

/// The files a bundle can hold, and a few it must not, addressed by one byte of the input.
let names = [
    BundleLayout.manifest, BundleLayout.events, BundleLayout.prefix, BundleLayout.checkpoint, BundleLayout.witnessed,
    BundleLayout.rotations, BundleLayout.pubkey, BundleLayout.recording(name: "ses_1"),
    BundleLayout.tombstone(name: "ses_1"), BundleLayout.recording(name: "ses_1.b"), "recordings/../manifest.json",
    "notes.txt",
]

/// A key that never signed anything: no bundle may verify against it.
let stranger = AuditPublicKey(
    try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(repeating: 9, count: 32)).publicKey)

/// One libFuzzer input: a bundle's files, each as a name byte, a two-byte length and the content. Verified as
/// `hoopctl audit verify` does, trusting the bundle's own key; checked:
/// - a report is ok exactly when it names no problem;
/// - the report does not depend on the order the files were read in;
/// - pinned to a key that signed nothing, no bundle verifies.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzBundle(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    var files: [(String, [UInt8])] = []
    while !input.isAtEnd {
        let name = names[Int(input.byte()) % names.count]
        files.append((name, Array(input.take(input.length()))))
    }
    let bundle = EvidenceBundle(files: Dictionary(files, uniquingKeysWith: { first, _ in first }))
    let report = BundleVerifier.verify(bundle)
    require(
        report.ok == (report.problem == nil),
        "report ok \(report.ok) with problem \(String(describing: report.problem))")
    let reversed = EvidenceBundle(files: Dictionary(files.reversed(), uniquingKeysWith: { _, last in last }))
    require(BundleVerifier.verify(reversed) == report, "the report depends on the order of the files")
    let pinned = BundleVerifier.verify(bundle, trust: BundleTrust(pinnedKey: stranger))
    require(!pinned.ok, "a bundle verified against a key that signed nothing")
    return 0
}
