import Foundation
import HoopCore
import Testing

@testable import Local

@Suite("Replay rendering")
struct ReplayRenderingTests {
    /// Builds a linked recording from (t, kind, conn, dir, bytes, details).
    private func recording(
        _ bodies: [(Int64, RecordingKind, Int64, RecordingDirection?, [UInt8]?, JSONValue)]
    ) -> [RecordingEvent] {
        var events: [RecordingEvent] = []
        for (index, body) in bodies.enumerated() {
            events.append(
                RecordingEvent(
                    seq: Int64(index + 1), t: body.0, kind: body.1, conn: body.2, dir: body.3,
                    data: body.4.map { Data($0).base64EncodedString() }, details: body.5,
                    prev: events.last?.hash ?? HashChain.genesis))
        }
        return events
    }

    private var start: (Int64, RecordingKind, Int64, RecordingDirection?, [UInt8]?, JSONValue) {
        (
            0, .start, 0, nil, nil,
            [
                "session": "ses_1", "actor": "alice", "resource": "pg-prod", "type": "postgres",
                "started": "2026-11-21T10:00:00.000Z",
            ]
        )
    }

    private var sqlSession: [RecordingEvent] {
        recording([
            start,
            (1_000, .open, 1, nil, nil, ["peer": "127.0.0.1:5000"]),
            (1_512_000, .query, 1, .up, nil, ["protocol": "simple", "sql": "SELECT id, name FROM users"]),
            (
                1_515_100, .result, 1, .down, nil,
                [
                    "tag": "SELECT 2", "duration_us": 3_100, "columns": ["id", "name"],
                    "rows": [["1", "ann"], ["22", nil]], "row_count": 2, "truncated": false,
                ]
            ),
            (2_000_000, .query, 1, .up, nil, ["protocol": "simple", "sql": "DELETE FROM users"]),
            (
                2_000_400, .result, 1, .down, nil,
                ["error": ["code": "42501", "message": "blocked by policy"], "duration_us": 400]
            ),
            (3_000_000, .close, 1, nil, nil, [:]),
            (3_000_100, .end, 0, nil, nil, [:]),
        ])
    }

    private func render(_ events: [RecordingEvent], _ options: ReplayOptions) async throws -> (String, [Duration]) {
        var output = ""
        var sleeps: [Duration] = []
        try await ReplayRenderer(options: options).render(
            events, sleep: { sleeps.append($0) }, output: { output += $0 })
        return (output, sleeps)
    }

    @Test("SQL sessions replay as statements in order, each followed by its result table or error")
    func sqlRendering() async throws {
        let (output, _) = try await render(sqlSession, ReplayOptions(timing: false))
        #expect(
            output == """
                -- session ses_1: alice on pg-prod (postgres), started 2026-11-21T10:00:00.000Z
                -- +1.512s conn 1
                SELECT id, name FROM users
                 id | name
                ----+------
                 1  | ann
                 22 | NULL
                (2 rows)
                SELECT 2 (3.1 ms)
                -- +2.000s conn 1
                DELETE FROM users
                ERROR 42501: blocked by policy (0.4 ms)

                """)
    }

    @Test("prepared statements show their SQL when executed, with the bound parameters")
    func extendedProtocol() async throws {
        let events = recording([
            start,
            (
                10, .query, 1, .up, nil,
                ["protocol": "extended", "step": "parse", "statement": "s1", "sql": "SELECT $1"]
            ),
            (
                20, .query, 1, .up, nil,
                ["protocol": "extended", "step": "bind", "statement": "s1", "portal": "", "parameters": ["x", nil]]
            ),
            (30, .result, 1, .down, nil, ["tag": "SELECT 1"]),
        ])
        let (output, _) = try await render(events, ReplayOptions(timing: false, pattern: "'x'"))
        #expect(
            output == """
                -- session ses_1: alice on pg-prod (postgres), started 2026-11-21T10:00:00.000Z
                -- +0.000s conn 1 execute "s1" with $1 = 'x', $2 = NULL
                SELECT $1
                SELECT 1

                """)
    }

    @Test("grep keeps only matching statements, each with its own result")
    func grep() async throws {
        let (output, _) = try await render(
            sqlSession, ReplayOptions(timing: false, pattern: "delete", ignoreCase: true))
        #expect(output.contains("DELETE FROM users\nERROR 42501: blocked by policy (0.4 ms)\n"))
        #expect(!output.contains("SELECT"))
        let (none, _) = try await render(sqlSession, ReplayOptions(timing: false, pattern: "delete"))
        #expect(!none.contains("DELETE"))
    }

    @Test("an invalid grep pattern is refused before anything is rendered")
    func invalidPattern() {
        #expect(throws: ReplayPatternError.self) { try ReplayRenderer(options: ReplayOptions(pattern: "(")) }
    }

    private var byteSession: [RecordingEvent] {
        recording([
            start,
            (500_000, .data, 1, .down, Array("login: ".utf8), [:]),
            (1_000_000, .data, 1, .up, Array("root\n".utf8), [:]),
            (1_500_000, .data, 1, .down, Array("welcome\n".utf8), [:]),
            (4_500_000, .data, 1, .down, Array("$ ".utf8), [:]),
            (4_600_000, .end, 0, nil, nil, [:]),
        ])
    }

    @Test("timing waits the recorded gaps between shown pieces, divided by the speed")
    func timing() async throws {
        let (output, sleeps) = try await render(byteSession, ReplayOptions(speed: 2))
        #expect(output == "login: welcome\n$ ")
        #expect(sleeps == [.milliseconds(500), .milliseconds(1_500)])
    }

    @Test("with timing off nothing sleeps, and input is shown only when asked")
    func noTiming() async throws {
        let (output, sleeps) = try await render(byteSession, ReplayOptions(timing: false, showInput: true))
        #expect(output == "login: root\nwelcome\n$ ")
        #expect(sleeps.isEmpty)
    }

    @Test("bytes that are not UTF-8 show as \\xNN, and a character split across chunks shows whole")
    func escapes() async throws {
        let events = recording([
            start,
            (1, .data, 1, .down, [0x61, 0xFF, 0x62, 0xC3], [:]),
            (2, .data, 1, .down, [0xA9, 0x0A], [:]),
            (3, .data, 1, .down, [0xE2, 0x82], [:]),
        ])
        let (output, _) = try await render(events, ReplayOptions(timing: false))
        #expect(output == "a\\xffbé\n\\xe2\\x82")
    }

    @Test("text the broker recorded with byte escapes (U+10FF80 and up) shows as \\xNN")
    func privateUseEscapes() async throws {
        let latin1 = "SELECT 'caf" + String(Unicode.Scalar(0x10_FFE9)!) + "'"
        let events = recording([
            start,
            (1, .query, 1, .up, nil, ["protocol": "simple", "sql": .string(latin1)]),
            (2, .result, 1, .down, nil, ["tag": "SELECT 1", "columns": ["?column?"], "rows": [[["base64": "/w=="]]]]),
        ])
        let (output, _) = try await render(events, ReplayOptions(timing: false))
        #expect(output.contains("SELECT 'caf\\xe9'\n"))
        #expect(output.contains("----------\n \\xff\n(1 row)\nSELECT 1\n"))
    }

    @Test("asciicast v2: a header with size and start time, then timed output events")
    func asciicast() {
        var lines: [String] = []
        AsciicastWriter(width: 100, height: 30).write(byteSession) { lines.append($0) }
        #expect(
            lines == [
                #"{"version":2,"width":100,"height":30,"timestamp":1795255200}"# + "\n",
                #"[0.500000, "o", "login: "]"# + "\n",
                #"[1.500000, "o", "welcome\n"]"# + "\n",
                #"[4.500000, "o", "$ "]"# + "\n",
            ])
        var withInput: [String] = []
        AsciicastWriter(includeInput: true).write(byteSession) { withInput.append($0) }
        #expect(withInput[2] == #"[1.000000, "i", "root\n"]"# + "\n")
    }
}
