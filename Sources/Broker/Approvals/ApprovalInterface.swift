/// Where an approver decided: the JSON API (`hoopctl approvals`) or the approver web page. The rules are the same
/// for both; the audit event says which was used, so a reviewer can tell a phone tap from a shell command.
package enum ApprovalInterface: String, Sendable {
    case api
    case web
}
