import SQLAnalysis
import SQLCorpora
import Testing

@Suite("SQL evasion corpus")
struct SQLEvasionCorpusTests {
    @Test("the corpus is large enough to mean something")
    func corpusSize() {
        #expect(EvasionCorpus.attempts.count >= 70)
    }

    @Test("every evasion attempt is detected", arguments: EvasionCorpus.attempts)
    func detects(_ attempt: EvasionAttempt) {
        let analysis = SQLAnalysis.analyze(attempt.sql, dialect: .postgres)
        #expect(
            SQLDetection.detects(attempt.mustDetect, in: analysis),
            "\(attempt.sql.debugDescription) must detect \(attempt.mustDetect); got \(SQLDetection.summary(analysis))")
    }
}

/// Matching a `Detection` against an analysis, shared by the corpus tests.
enum SQLDetection {
    static func detects(_ detection: Detection, in analysis: SQLAnalysis) -> Bool {
        switch detection {
        case .statementClass(let raw):
            return analysis.statements.contains { $0.classes.contains { $0.rawValue == raw } }
        case .function(let name):
            return analysis.statements.contains { $0.functions.contains { $0.name == name } }
        case .table(let name):
            return analysis.statements.contains { $0.tables.contains { $0.name == name } }
        case .opaqueOrProblem:
            return analysis.problem != nil || analysis.statements.contains(where: \.opaque)
        }
    }

    static func summary(_ analysis: SQLAnalysis) -> String {
        if let problem = analysis.problem {
            return "problem: \(problem)"
        }
        return analysis.statements.map { statement in
            let classes = statement.classes.map(\.rawValue).sorted().joined(separator: ",")
            return "[\(statement.verb) {\(classes)} tables=\(statement.tables) functions=\(statement.functions)"
                + " opaque=\(statement.opaque)]"
        }.joined(separator: " ")
    }
}
