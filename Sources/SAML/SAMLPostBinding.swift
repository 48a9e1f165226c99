import Foundation

/// The HTTP-POST binding's encoding of a SAMLResponse: base64 of the XML, possibly broken into lines. The size is
/// bounded before decoding and again after, so a huge form field costs nothing.
enum SAMLPostBinding {
    static func decode(_ base64: String, limit: Int) throws(SAMLRejection) -> Data {
        // Base64 is 4/3 of the bytes, plus line breaks an encoder may insert every 64 or 76 characters.
        let encodedLimit = limit / 3 * 4 + limit / 32 + 8
        guard base64.utf8.count <= encodedLimit else { throw .tooLarge(bytes: base64.utf8.count, limit: encodedLimit) }
        let compact = String(base64.unicodeScalars.filter { !" \t\r\n".unicodeScalars.contains($0) })
        guard let data = Data(base64Encoded: compact) else { throw .malformedBase64 }
        guard data.count <= limit else { throw .tooLarge(bytes: data.count, limit: limit) }
        return data
    }
}
