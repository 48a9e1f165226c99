/// A Response's status: `Success`, or the top-level code and every nested one (`Responder / AuthnFailed`), so that
/// an IdP's refusal (a cancelled or failed login) is reported as what it is.
enum ResponseStatus {
    /// Nil for Success.
    static func failure(of response: XMLElementNode) throws(SAMLRejection) -> String? {
        var code = try response.required(.status).required(.statusCode)
        var status = code.attribute(.value) ?? "(none)"
        guard status != SAMLConstant.statusSuccess else { return nil }
        while let nested = try code.single(.statusCode) {
            status += " / " + (nested.attribute(.value) ?? "(none)")
            code = nested
        }
        return status
    }
}
