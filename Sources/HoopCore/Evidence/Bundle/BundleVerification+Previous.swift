extension BundleVerification {
    /// Each checkpoint the auditor kept from an earlier audit (an older bundle's, or a file witness's) that a
    /// trusted key signed must have the root this bundle gives at its size: the newer log extends the older one,
    /// so nothing was removed or changed in between. A file witness's checkpoints newer than the bundle are
    /// reported (export again to cover them); an older bundle's can never be newer.
    mutating func checkPrevious() throws(BundleProblem) {
        guard let checkpoint, let tree else { return }
        for (number, previous) in trust.previous.enumerated() {
            let note = previous.note
            let subject = "previous checkpoint \(number + 1)"
            let body: TreeCheckpoint
            do {
                body = try TreeCheckpoint(body: note.text)
            } catch {
                throw BundleProblem(subject, "not a checkpoint (\(error.reason))")
            }
            guard body.origin == checkpoint.origin else {
                throw BundleProblem(subject, "is of \(body.origin), this bundle of \(checkpoint.origin)")
            }
            let older = try verifiedCheckpoint(note, body: body, subject: subject)
            if older.size > checkpoint.size, previous.source == .checkpointFile {
                newerShipped = max(newerShipped ?? 0, older.size)
                continue
            }
            guard older.size <= checkpoint.size else {
                throw BundleProblem(
                    subject,
                    "size \(older.size) is larger than this bundle's \(checkpoint.size): the log lost events since "
                        + "the earlier audit", seq: older.size)
            }
            guard older.size >= tree.firstLeaf else {
                throw BundleProblem(
                    subject,
                    "size \(older.size) is before this bundle's first event \(tree.firstLeaf + 1); export with an "
                        + "earlier --since (or none) to compare", seq: older.size)
            }
            guard (try? tree.rootHash(size: older.size)) == older.root else {
                throw BundleProblem(
                    subject,
                    "root at size \(older.size) differs from this bundle's: the log was rewritten since the earlier "
                        + "audit (not a consistent extension)", seq: older.size)
            }
            previousChecked += 1
        }
    }
}
