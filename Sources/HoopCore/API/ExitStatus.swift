/// The CLI's documented exit codes (DESIGN.md §6). Scripts and agents branch on these, so they never change.
package enum ExitStatus: Int32, Sendable {
    case ok = 0
    case error = 1
    case usage = 2
    case denied = 3
    case approvalPending = 4
    case brokerUnreachable = 5
}
