/// Cuts a token stream into statements at semicolons that are outside parentheses and `BEGIN ATOMIC` bodies.
///
/// A semicolon inside parentheses stays in its statement (CREATE RULE actions); the classifier analyses each part.
/// Unbalanced parentheses are a problem: the server would reject the text, and the analysis cannot know what a
/// misparenthesised text means. So is nesting deeper than `maximumNesting`.
enum SQLStatementSplitter {
    /// Deeper nesting is refused rather than analysed, so a hostile text cannot exhaust the analyser's stack.
    static let maximumNesting = 256

    struct Segment: Equatable {
        var range: Range<Int>
        /// Whether a semicolon ends the segment (rather than the end of the text).
        var terminated: Bool
    }

    /// The segments (empty ones dropped) and, if the text is unbalanced, the problem and the segments before it.
    static func split(_ tokens: [SQLToken], source: SQLSource) -> (segments: [Segment], problem: SQLAnalysisProblem?) {
        var segments: [Segment] = []
        var start = 0
        var openParentheses: [Int] = []
        var atomicDepth = 0
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .symbol where token.value == "(":
                openParentheses.append(index)
                if openParentheses.count > maximumNesting {
                    let problem = source.problem(
                        .tooDeeplyNested, at: token.range.lowerBound,
                        "parentheses nest deeper than \(maximumNesting) levels")
                    return (segments, problem)
                }
            case .symbol where token.value == ")":
                guard openParentheses.popLast() != nil else {
                    return (segments, source.problem(.unbalancedParentheses, at: token.range.lowerBound, "unmatched )"))
                }
            case .symbol where token.value == ";":
                if openParentheses.isEmpty && atomicDepth == 0 {
                    if index > start {
                        segments.append(Segment(range: start..<index, terminated: true))
                    }
                    start = index + 1
                }
            case .word where atomicDepth > 0:
                if token.value == "case" {
                    atomicDepth += 1
                } else if token.value == "end" {
                    atomicDepth -= 1
                }
            case .word where token.value == "begin":
                if index + 1 < tokens.count, tokens[index + 1].isWord("atomic"), tokens[start].isWord("create") {
                    atomicDepth = 1
                }
            default:
                break
            }
        }
        if let unclosed = openParentheses.first {
            let offset = tokens[unclosed].range.lowerBound
            return (segments, source.problem(.unbalancedParentheses, at: offset, "( is not closed"))
        }
        if start < tokens.count {
            segments.append(Segment(range: start..<tokens.count, terminated: false))
        }
        return (segments, nil)
    }
}
