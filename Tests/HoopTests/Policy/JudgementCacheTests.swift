import Testing

@testable import Broker

/// The judge remembers verdicts on texts it has seen, so a repeated text skips the analyser. These tests attack
/// the memory as a client would that wants a remembered "allow" to cover something it should not.
@Suite("Guardrails: remembered verdicts")
struct JudgementCacheTests {
    static func refusal(_ judgement: GuardrailJudgement) -> String? {
        SessionGuardrailTests.refusal(judgement)
    }

    @Test("a repeated text gets the same verdict, allowed or not, whether remembered or judged afresh")
    func repeatedTextsKeepTheirVerdict() throws {
        var judge = try SessionGuardrailTests.judge()
        for _ in 0..<3 {
            #expect(judge.judge("select abalance from pgbench_accounts where aid = $1") == .allow)
            #expect(Self.refusal(judge.judge("delete from accounts")) == "guardrails[1]")
            #expect(Self.refusal(judge.judge("select pg_read_file('/etc/passwd')")) != nil)
            if case .requireApproval = judge.judge("drop table accounts") {
            } else {
                Issue.record("DROP must keep needing approval when repeated")
            }
        }
    }

    @Test("EXECUTE is judged as what the name holds now, not as what it held when the same text was first judged")
    func executeIsNeverRemembered() throws {
        var judge = try SessionGuardrailTests.judge()
        #expect(judge.judge("prepare job as select 1") == .allow)
        #expect(judge.judge("execute job") == .allow)
        #expect(judge.judge("deallocate job") == .allow)
        #expect(judge.judge("prepare job as delete from accounts") != .allow)
        #expect(Self.refusal(judge.judge("execute job")) == "guardrails[1]")
        #expect(judge.judge("deallocate all") == .allow)
        #expect(Self.refusal(judge.judge("execute job")) == "unknown_prepared_statement")
    }

    @Test("a PREPARE is remembered by the judge's statement table even when its text was seen before")
    func repeatedPrepareStillRegisters() throws {
        var judge = try SessionGuardrailTests.judge()
        #expect(judge.judge("prepare again as select 2") == .allow)
        #expect(judge.judge("deallocate again") == .allow)
        #expect(Self.refusal(judge.judge("execute again")) == "unknown_prepared_statement")
        #expect(judge.judge("prepare again as select 2") == .allow)
        #expect(judge.judge("execute again") == .allow)
    }

    @Test("non-ASCII texts are judged afresh, so a change of client encoding is seen every time")
    func nonASCIITextsFollowTheEncoding() throws {
        let encodings = PostgresClientEncodingTracker()
        var judge = StatementJudge(
            rules: try GuardrailPolicyTests.rules(GuardrailPolicyTests.examplePolicy), dialect: .postgres,
            encodings: encodings)
        let watch = PostgresSessionWatch(guarded: true, encodings: encodings)
        _ = watch.check(name: "client_encoding", value: "UTF8")
        #expect(judge.judge("select 'é'") == .allow)
        #expect(judge.judge("set client_encoding = 'LATIN1'") == .allow)
        #expect(Self.refusal(judge.judge("select 'é'")) == "client_encoding_unknown")
    }

    @Test("the memory stays bounded whatever the client sends, and long texts are never kept")
    func bounded() {
        var cache = JudgementCache()
        for index in 0..<(JudgementCache.capacity * 3) { cache["select \(index)"] = .allow }
        #expect(cache.count <= JudgementCache.capacity)
        let long = "select '" + String(repeating: "x", count: JudgementCache.longestText) + "'"
        cache[long] = .allow
        #expect(cache[long] == nil)
    }
}
