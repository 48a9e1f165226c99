import Testing

@testable import Broker

/// What the recording keeps of a statement on a resource with column rules: the shape, never a literal.
@Suite("Postgres recorded statements: literals redacted")
struct PostgresLiteralRedactorTests {
    @Test(
        "every literal style, number and comment is replaced; identifiers and code stay",
        arguments: [
            ("select name from users where name = 'Zelda Q'", "select name from users where name = ?"),
            ("select 'it''s Zelda'", "select ?"),
            ("select E'Zelda\\' Q' as x", "select E? as x"),
            ("select U&'Zelda', X'5a', B'01', N'Zelda'", "select U&?, X?, B?, N?"),
            ("select * from t1 where id = 341725918 and f = 1.5e+3", "select * from t1 where id = ? and f = ?"),
            ("select 1 -- Zelda\n, 2 /* Zelda /* nested */ Q */", "select ?  \n, ?  "),
            ("do $$ begin raise notice '%', 'Zelda'; end $$", "do $$ begin raise notice ?, ?; end $$"),
            ("select $tag$Zelda$tag$, $1, a$b", "select ?, $1, a$b"),
            (
                "create function f() returns text as $f$ select 'Zelda' $f$",
                "create function f() returns text as $f$ select ? $f$"
            ),
            ("do language plpgsql $$ begin perform 'Zelda'; end $$", "do language plpgsql ?"),
            ("select \"Quoted Name\" from t", "select \"Quoted Name\" from t"),
            ("select 'unterminated Zelda", "select ?"),
        ])
    func redacts(sql: String, recorded: String) {
        #expect(PostgresLiteralRedactor.redact(sql) == recorded)
    }
}
