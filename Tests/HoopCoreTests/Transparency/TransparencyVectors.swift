import Foundation
import HoopCore

/// The RFC 6962 reference tree (the certificate-transparency test vectors, in testing/evidence-verifier/vectors.json,
/// shared with the independent Python verifier): eight leaves, their roots at every size, audit paths and
/// consistency proofs.
struct TransparencyVectors: Decodable {
    struct Inclusion: Decodable {
        var index: Int64
        var size: Int64
        var path: [String]
    }

    struct Consistency: Decodable {
        var old: Int64
        var new: Int64
        var proof: [String]
    }

    var leaves: [String]
    var roots: [String: String]
    var inclusion: [Inclusion]
    var consistency: [Consistency]

    /// The repository this test file is in.
    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url.deleteLastPathComponent()
        }
        return url
    }

    static func load() throws -> TransparencyVectors {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("testing/evidence-verifier/vectors.json"))
        return try JSONDecoder().decode(TransparencyVectors.self, from: data)
    }

    /// The leaves' hashes, from their hex data.
    var leafHashes: [TreeHash] {
        leaves.map { TreeHash.leaf(Self.bytes($0)) }
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func hash(_ hex: String) -> TreeHash {
        TreeHash(hex: hex)!
    }
}
