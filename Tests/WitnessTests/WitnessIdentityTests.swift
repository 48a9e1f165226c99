import Foundation
import HoopCore
import Testing
import Witness

/// The witness's key is its identity: created once, private to its user, never replaced behind the operator's back.
@Suite("Witness identity: a data dir's key and name")
struct WitnessIdentityTests {
    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("witness-id-\(UUID().uuidString)")
    }

    @Test("init writes a 0600 key in a 0700 directory; loading gives the same vkey, a cosignature (0x04) key")
    func createAndLoad() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataDir = WitnessDataDir(directory)
        let created = try dataDir.createIdentity(name: "witness.example/w1")
        let keyPath = directory.appendingPathComponent("witness-ed25519.key").path
        let keyMode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        let directoryMode = try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        #expect(directoryMode == 0o700)
        let seed = try String(contentsOfFile: keyPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Data(base64Encoded: seed)?.count == 32)
        let loaded = try dataDir.loadIdentity()
        #expect(loaded.vkey == created.vkey)
        #expect(loaded.vkey.kind == .cosignature)
        #expect(try NoteVerifierKey(text: loaded.vkey.text) == created.vkey)
    }

    @Test("a second init is refused and leaves the first key in place")
    func initDoesNotReplaceAKey() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataDir = WitnessDataDir(directory)
        let first = try dataDir.createIdentity(name: "witness.example/w1")
        #expect(throws: WitnessSetupError.self) { try dataDir.createIdentity(name: "witness.example/w2") }
        #expect(try dataDir.loadIdentity().vkey == first.vkey)
    }

    @Test("a data dir without a key, or with a damaged one, does not load (and no key is made)")
    func missingOrDamagedKey() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataDir = WitnessDataDir(directory)
        #expect(throws: WitnessSetupError.self) { try dataDir.loadIdentity() }
        _ = try dataDir.createIdentity(name: "witness.example/w1")
        try "bm90IGEga2V5\n".write(
            to: directory.appendingPathComponent("witness-ed25519.key"), atomically: true, encoding: .utf8)
        #expect(throws: WitnessSetupError.self) { try dataDir.loadIdentity() }
    }

    @Test("names a note cannot carry are refused", arguments: ["", "has space", "a+b", "tab\there"])
    func invalidNames(name: String) {
        #expect(throws: WitnessSetupError.self) { try WitnessIdentity(name: name) }
    }
}

/// Verifier keys are what operators copy between machines; every key must survive the trip through text.
@Suite("Verifier keys in text form")
struct VerifierKeyTextTests {
    @Test("a vkey whose base64 key holds a plus reads back (only the first two pluses separate fields)")
    func plusInKeyMaterial() throws {
        var identity = try WitnessIdentity(name: "witness.example/w1")
        while !identity.vkey.text.split(separator: "+", maxSplits: 2)[2].contains("+") {
            identity = try WitnessIdentity(name: "witness.example/w1")
        }
        #expect(try NoteVerifierKey(text: identity.vkey.text) == identity.vkey)
        let log = SimulatedLog(leaves: 0)
        #expect(try NoteVerifierKey(text: log.vkey.text) == log.vkey)
    }

    @Test("a vkey with a wrong key ID, a short key or an unknown type is refused")
    func damagedVkeys() throws {
        let text = try WitnessIdentity(name: "witness.example/w1").vkey.text
        let fields = text.split(separator: "+", maxSplits: 2).map(String.init)
        let wrongID = fields[0] + "+00000000+" + fields[2]
        let shortKey = fields[0] + "+" + fields[1] + "+BAAA"
        let unknownType = fields[0] + "+" + fields[1] + "+Bw" + fields[2].dropFirst(2)
        for damaged in [wrongID, shortKey, unknownType, fields[0]] {
            #expect(throws: EvidenceFormatError.self) { try NoteVerifierKey(text: damaged) }
        }
    }
}
