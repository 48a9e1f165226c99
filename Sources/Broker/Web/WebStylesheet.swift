/// The page's only styles, served as a file so the Content-Security-Policy can say `style-src 'self'` with no
/// inline style or hash. Plain and responsive: one column that fits a phone, wider cards on a desk.
enum WebStylesheet {
    static let path = "/web/style.css"

    static let text = """
        :root { color-scheme: light dark; --accent: #2457c5; --ok: #1d7a3a; --bad: #b3261e; --line: #8884; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
        header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .75rem 1rem;
          border-bottom: 1px solid var(--line); }
        header .brand { font-weight: 600; text-decoration: none; color: inherit; margin-right: auto; }
        header .who { font-size: .9rem; opacity: .8; overflow-wrap: anywhere; }
        main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.1rem; margin-top: 1.5rem; }
        pre, code { font: .9rem/1.4 ui-monospace, "SFMono-Regular", Menlo, monospace; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: .5rem;
          border: 1px solid var(--line); border-radius: 6px; }
        pre.replay { max-height: 70vh; overflow: auto; }
        dl { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: .35rem 1rem; }
        dt { font-weight: 600; }
        dd { margin: 0; overflow-wrap: anywhere; }
        @media (max-width: 32rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: .4rem; } }
        .card { display: block; padding: .75rem; margin: .6rem 0; border: 1px solid var(--line); border-radius: 8px;
          text-decoration: none; color: inherit; }
        .card .title { display: block; font-weight: 600; }
        .card .subject { display: block; margin: .3rem 0; overflow-wrap: anywhere; }
        .meta { font-size: .85rem; opacity: .8; }
        .list { padding-left: 1.2rem; }
        .list li { margin: .3rem 0; overflow-wrap: anywhere; }
        .status { font-size: .8rem; padding: .1rem .45rem; border-radius: 999px; border: 1px solid currentColor;
          vertical-align: middle; }
        .approved, .used { color: var(--ok); }
        .denied, .expired, .withdrawn { color: var(--bad); }
        .error { color: var(--bad); font-weight: 600; }
        .notice { color: var(--ok); font-weight: 600; }
        form.decide { margin: 1.5rem 0; }
        label { display: block; font-weight: 600; margin-bottom: .3rem; }
        textarea { width: 100%; font: inherit; padding: .5rem; }
        .actions { display: flex; gap: .75rem; margin-top: .75rem; }
        button, .button { font: inherit; padding: .6rem 1.2rem; border-radius: 6px; border: 1px solid var(--line);
          cursor: pointer; display: inline-block; text-decoration: none; color: inherit; background: none; }
        .actions button { flex: 1; min-height: 2.75rem; }
        button.approve { background: var(--ok); color: #fff; border-color: var(--ok); }
        button.deny { background: var(--bad); color: #fff; border-color: var(--bad); }
        .options { list-style: none; padding: 0; }
        .options .button { display: block; text-align: center; margin: .5rem 0; background: var(--accent);
          color: #fff; }
        form.inline { display: inline; }
        button.link { border: none; padding: 0; text-decoration: underline; color: inherit; }

        """
}
