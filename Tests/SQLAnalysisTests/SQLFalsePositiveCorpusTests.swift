import SQLAnalysis
import SQLCorpora
import Testing

@Suite("SQL false-positive corpus")
struct SQLFalsePositiveCorpusTests {
    @Test("benign statements are not flagged", arguments: FalsePositiveCorpus.benign)
    func notFlagged(_ statement: SQLBenignStatement) {
        let analysis = SQLAnalysis.analyze(statement.sql, dialect: .postgres)
        #expect(analysis.problem == nil || statement.mustNotDetect == .opaqueOrProblem)
        #expect(
            !SQLDetection.detects(statement.mustNotDetect, in: analysis),
            "\(statement.sql.debugDescription) must not detect \(statement.mustNotDetect); got \(SQLDetection.summary(analysis))"
        )
    }
}
