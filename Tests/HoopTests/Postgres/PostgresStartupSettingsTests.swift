import PostgresWire
import Testing

@testable import Broker

/// Startup packets as a hostile client would write them: every spelling PostgreSQL accepts for setting the client
/// encoding or the search path at login. Before issue 15 only a literal `search_path` was looked for; every
/// client-encoding case got through, and so did `--search-path=` (dashes read as underscores).
@Suite("PostgreSQL startup settings")
struct PostgresStartupSettingsTests {
    static func refusal(_ parameters: [(String, String)], tableRules: Bool = true) -> String? {
        PostgresStartupSettings(parameters.map { .init(name: $0.0, value: $0.1) }).refusal(tableRules: tableRules)
    }

    @Test(
        "client-only encodings are refused in every spelling of the startup packet",
        arguments: [
            [("client_encoding", "SJIS")], [("CLIENT_ENCODING", "big5")], [("client_encoding", "Windows-936")],
            [("options", "-c client_encoding=sjis")], [("options", "-cclient_encoding=UHC")],
            [("options", "--client_encoding=gb18030")], [("options", "--client-encoding=johab")],
            [("options", "-c CLIENT-ENCODING=shift_jis_2004")], [("options", "  -c\tclient_encoding=mskanji  ")],
            [("options", "-c application_name=x -c client_encoding=win950")],
            [("client_encoding", "UTF8"), ("options", "-c client_encoding=sjis")],
        ])
    func clientOnlyEncoding(_ parameters: [(String, String)]) {
        #expect(Self.refusal(parameters, tableRules: false)?.contains("client encoding") == true, "\(parameters)")
    }

    @Test(
        "search_path at login is refused where table rules exist, in every spelling",
        arguments: [
            [("search_path", "payroll")], [("Search_Path", "payroll")], [("options", "-c search_path=payroll")],
            [("options", "--search-path=payroll")], [("options", "-csearch_path=payroll,public")],
            [("options", "-c SEARCH-PATH=pg_temp")], [("options", #"-c search_path=a\ b"#)],
        ])
    func searchPath(_ parameters: [(String, String)]) {
        #expect(Self.refusal(parameters)?.contains("search_path") == true, "\(parameters)")
        #expect(Self.refusal(parameters, tableRules: false) == nil, "\(parameters)")
    }

    @Test(
        "option words the broker cannot read with certainty are refused on a guarded resource",
        arguments: ["-ec client_encoding=sjis", "-c", "--client_encoding", "-F", "client_encoding=sjis"])
    func unreadableOptions(_ options: String) {
        #expect(Self.refusal([("options", options)], tableRules: false)?.contains("cannot be read") == true)
    }

    @Test("ordinary startup parameters stay allowed")
    func ordinary() {
        #expect(
            Self.refusal([
                ("application_name", "psql"), ("client_encoding", "UTF8"), ("DateStyle", "ISO"),
                ("options", "-c statement_timeout=5s --lock-timeout=1s -c client_encoding=LATIN1"),
            ]) == nil)
    }

    @Test("options split like pg_split_opts: whitespace separates, a backslash keeps the next character")
    func split() {
        #expect(PostgresStartupSettings.split(#"  -c a=b\ c   --x=\\y "#) == ["-c", #"a=b c"#, #"--x=\y"#])
    }

    @Test("the session watch ends a guarded connection when the server reports a client-only encoding")
    func sessionWatch() {
        let watch = PostgresSessionWatch(guarded: true)
        #expect(watch.check(name: "client_encoding", value: "SJIS")?.contains("SJIS") == true)
        #expect(watch.check(name: "client_encoding", value: "UTF8") == nil)
        #expect(watch.check(name: "application_name", value: "SJIS") == nil)
        #expect(watch.check([("server_version", "15"), ("client_encoding", "BIG5")]) != nil)
        #expect(PostgresSessionWatch(guarded: false).check(name: "client_encoding", value: "SJIS") == nil)
    }

    @Test("a startup role switch is refused where rules judge set_role, in every spelling (got through before)")
    func roleAtStartup() {
        for options in ["-c role=postgres", "--role=postgres", "-c SESSION-AUTHORIZATION=postgres"] {
            let settings = PostgresStartupSettings([.init(name: "options", value: options)])
            #expect(settings.refusal(tableRules: false, roleRules: true)?.contains("role switches") == true)
            #expect(settings.refusal(tableRules: false, roleRules: false) == nil)
        }
        let direct = PostgresStartupSettings([.init(name: "Role", value: "postgres")])
        #expect(direct.refusal(tableRules: false, roleRules: true) != nil)
    }
}
