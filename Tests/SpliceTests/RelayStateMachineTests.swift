import Splice
import Testing

@Suite("Relay state machine")
struct RelayStateMachineTests {
    typealias Machine = RelayStateMachine<String>

    // MARK: Reads and backpressure

    @Test("reads pass while the other side can take more")
    func readsPassWhenPartnerWritable() {
        var machine = Machine(halfClose: .immediate)
        #expect(machine.readRequested(partnerWritable: true) == .read)
        #expect(machine.readRequested(partnerWritable: true) == .read)
    }

    @Test("a read waits while the other side is unwritable and resumes once, when it becomes writable")
    func backpressurePausesAndResumes() {
        var machine = Machine(halfClose: .immediate)
        #expect(machine.readRequested(partnerWritable: false) == .wait)
        #expect(machine.partnerWritabilityChanged(writable: false) == .wait)
        #expect(machine.partnerWritabilityChanged(writable: true) == .read)
        // The pending read was used up.
        #expect(machine.partnerWritabilityChanged(writable: true) == .wait)
    }

    @Test("writability alone does not read when nobody asked")
    func writableWithoutPendingRead() {
        var machine = Machine(halfClose: .immediate)
        #expect(machine.partnerWritabilityChanged(writable: true) == .wait)
    }

    // MARK: Messages and end of input

    @Test("messages and the end of input pass at once when nothing is held")
    func passThrough() {
        var machine = Machine(halfClose: .immediate)
        #expect(machine.messageRead("a") == .process("a"))
        #expect(machine.endOfInput() == .pass)
    }

    // MARK: Holding

    @Test("a hold stops reads, queues messages, and releases them in order with the read that waited")
    func holdQueuesInOrder() {
        var machine = Machine(halfClose: .immediate)
        machine.holdBegan()
        #expect(machine.isHolding)
        #expect(machine.readRequested(partnerWritable: true) == .wait)
        #expect(machine.messageRead("b") == .queued)
        #expect(machine.messageRead("c") == .queued)
        // Writability does not end a hold.
        #expect(machine.partnerWritabilityChanged(writable: true) == .wait)
        #expect(machine.holdEnded() == .apply)
        #expect(machine.nextHeld(partnerWritable: true) == .process("b"))
        #expect(machine.nextHeld(partnerWritable: true) == .process("c"))
        #expect(machine.nextHeld(partnerWritable: true) == .drained(resumeReading: true))
        #expect(machine.nextHeld(partnerWritable: true) == .drained(resumeReading: false))
        #expect(machine.messageRead("d") == .process("d"))
    }

    @Test("the end of input during a hold keeps its place behind the messages read before it")
    func holdQueuesEndOfInput() {
        var machine = Machine(halfClose: .immediate)
        machine.holdBegan()
        #expect(machine.messageRead("b") == .queued)
        #expect(machine.endOfInput() == .queued)
        #expect(machine.holdEnded() == .apply)
        #expect(machine.nextHeld(partnerWritable: true) == .process("b"))
        #expect(machine.nextHeld(partnerWritable: true) == .passEndOfInput)
        #expect(machine.nextHeld(partnerWritable: true) == .drained(resumeReading: false))
    }

    @Test("a queued message that is held again stops the release; the rest, end of input too, waits for it")
    func holdAgainDuringRelease() {
        var machine = Machine(halfClose: .immediate)
        machine.holdBegan()
        #expect(machine.readRequested(partnerWritable: true) == .wait)
        #expect(machine.messageRead("b") == .queued)
        #expect(machine.messageRead("c") == .queued)
        #expect(machine.endOfInput() == .queued)
        #expect(machine.holdEnded() == .apply)
        #expect(machine.nextHeld(partnerWritable: true) == .process("b"))
        machine.holdBegan()  // "b" is held in turn
        #expect(machine.nextHeld(partnerWritable: true) == .holding)
        #expect(machine.messageRead("late") == .queued)
        #expect(machine.holdEnded() == .apply)
        #expect(machine.nextHeld(partnerWritable: true) == .process("c"))
        #expect(machine.nextHeld(partnerWritable: true) == .passEndOfInput)
        #expect(machine.nextHeld(partnerWritable: true) == .process("late"))
        #expect(machine.nextHeld(partnerWritable: true) == .drained(resumeReading: true))
    }

    @Test("after a hold, a read that waited stays pending while the other side is unwritable")
    func holdEndsUnderBackpressure() {
        var machine = Machine(halfClose: .immediate)
        machine.holdBegan()
        #expect(machine.readRequested(partnerWritable: true) == .wait)
        #expect(machine.holdEnded() == .apply)
        #expect(machine.nextHeld(partnerWritable: false) == .drained(resumeReading: false))
        #expect(machine.partnerWritabilityChanged(writable: true) == .read)
    }

    @Test("a refused hold drops what waited; later input passes as usual")
    func dropHeld() {
        var machine = Machine(halfClose: .eofOnceNotAfterPeer)
        machine.holdBegan()
        #expect(machine.readRequested(partnerWritable: true) == .wait)
        #expect(machine.messageRead("b") == .queued)
        #expect(machine.endOfInput() == .queued)
        machine.dropHeld()
        #expect(!machine.isHolding)
        #expect(machine.nextHeld(partnerWritable: true) == .drained(resumeReading: true))
        #expect(machine.messageRead("c") == .process("c"))
    }

    // MARK: Failure and close

    @Test("a failure during a hold drops what waited, ignores the decision and discards later input")
    func failureDuringHold() {
        var machine = Machine(halfClose: .immediate)
        machine.holdBegan()
        #expect(machine.messageRead("b") == .queued)
        #expect(machine.endOfInput() == .queued)
        machine.stop()
        #expect(machine.isStopped)
        #expect(!machine.isHolding)
        #expect(machine.holdEnded() == .ignore)
        #expect(machine.nextHeld(partnerWritable: true) == .stopped)
        #expect(machine.messageRead("c") == .discard)
        #expect(machine.endOfInput() == .discard)
        machine.holdBegan()
        #expect(!machine.isHolding)
    }

    @Test("a channel closed while holding ignores the decision that arrives later")
    func closeWhileHolding() {
        var machine = Machine(halfClose: .eofOnceNotAfterPeer)
        machine.holdBegan()
        #expect(machine.messageRead("b") == .queued)
        #expect(machine.close() == .closeAfterOutputEnd(.halfClose))
        machine.stop()
        #expect(machine.holdEnded() == .ignore)
        #expect(machine.nextHeld(partnerWritable: true) == .stopped)
    }

    @Test("a queued message that fails the splice ends the release")
    func failureDuringRelease() {
        var machine = Machine(halfClose: .immediate)
        machine.holdBegan()
        #expect(machine.messageRead("b") == .queued)
        #expect(machine.messageRead("c") == .queued)
        #expect(machine.holdEnded() == .apply)
        #expect(machine.nextHeld(partnerWritable: true) == .process("b"))
        machine.stop()  // "b" could not be recorded
        #expect(machine.nextHeld(partnerWritable: true) == .stopped)
    }

    @Test("reads stay allowed after a failure, so a closing channel can read its peer's close")
    func readsAfterFailure() {
        var machine = Machine(halfClose: .immediate)
        machine.stop()
        #expect(machine.readRequested(partnerWritable: true) == .read)
    }

    // MARK: Half-close rules

    @Test("immediate: half-close at once, once; close at once")
    func immediateRule() {
        var machine = Machine(halfClose: .immediate)
        #expect(machine.endOutput() == .halfClose)
        #expect(machine.endOutput() == .none)
        #expect(machine.close() == .close)
    }

    @Test("after pending writes: half-close and close wait for the last write")
    func afterPendingWritesRule() {
        var machine = Machine(halfClose: .afterPendingWrites)
        #expect(machine.close() == .closeAfterPendingWrites)
        #expect(machine.endOutput() == .halfCloseAfterPendingWrites)
        #expect(machine.endOutput() == .none)
        #expect(machine.close() == .closeAfterPendingWrites)
    }

    @Test("SSH: EOF once, then a close waits for it")
    func sshRuleSendsEOFOnce() {
        var machine = Machine(halfClose: .eofOnceNotAfterPeer)
        #expect(machine.endOutput() == .halfClose)
        #expect(machine.endOutput() == .none)
        #expect(machine.close() == .closeAfterOutputEnd(.none))
    }

    @Test("SSH: no EOF after the peer's own, even while its end of input waits behind a hold")
    func sshRuleNoEOFAfterPeer() {
        var machine = Machine(halfClose: .eofOnceNotAfterPeer)
        machine.holdBegan()
        #expect(machine.endOfInput() == .queued)
        #expect(machine.endOutput() == .endWithoutEOF)
        #expect(machine.endOutput() == .none)
    }

    @Test("SSH: a close before any EOF sends it first")
    func sshRuleCloseSendsEOFFirst() {
        var peerEnded = Machine(halfClose: .eofOnceNotAfterPeer)
        #expect(peerEnded.endOfInput() == .pass)
        #expect(peerEnded.close() == .closeAfterOutputEnd(.endWithoutEOF))
        var open = Machine(halfClose: .eofOnceNotAfterPeer)
        #expect(open.close() == .closeAfterOutputEnd(.halfClose))
    }
}
