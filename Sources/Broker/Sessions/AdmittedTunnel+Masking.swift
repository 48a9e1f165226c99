import Masking

extension AdmittedTunnel {
    /// The resource's masker under the key for this session's scope: per resource, and per identity unless the
    /// resource opted into `hash_scope: resource`. Engines take their masker from here, never the root-keyed one.
    func masker(from maskers: [String: ValueMasker]) -> ValueMasker? {
        guard let masker = maskers[resource.name] else { return nil }
        return masker.scoped(
            to: masker.policy.hashScope.keyScope(
                resource: resource.name, issuer: session.issuer, subject: session.subject))
    }
}
