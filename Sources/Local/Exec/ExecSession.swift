import HoopCore

extension ApprovalWait {
    /// Runs one command of `hoopctl exec` in a session opened for it (bringing `approval` when given, waiting as
    /// this says when the session needs one) and revoked afterwards, whether the command ran or failed.
    func runInSession(
        _ client: BrokerClient, _ request: SessionRequest, approval: ApprovalInfo?,
        _ body: (SessionGrantResponse, _ headers: [(name: String, value: String)]) async throws(LocalError)
            -> CommandExit
    ) async throws(LocalError) -> CommandOutcome {
        let (request, headers) = bringing(approval, to: request)
        let granted = try await openSession(client, request)
        do throws(LocalError) {
            let exit = try await body(granted, headers)
            _ = try? await client.revokeSession(granted.session.id)
            return CommandOutcome(session: granted.session, exit: exit)
        } catch {
            _ = try? await client.revokeSession(granted.session.id)
            throw error
        }
    }
}
