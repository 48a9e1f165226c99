import Mustache

/// The page's Mustache templates, compiled into the broker: one binary, no template directory to install or get
/// out of step. Mustache escapes every `{{value}}` for HTML; the one triple mustache, the layout's `{{{body}}}`,
/// takes a page these templates rendered themselves. No template has a script or an inline style: the
/// Content-Security-Policy allows neither.
enum WebTemplate: String, CaseIterable, Sendable {
    case layout, login, approvals, approval, session, replay, problem

    var text: String {
        switch self {
        case .layout:
            """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}} · hoopctl</title>
            <link rel="stylesheet" href="\(WebStylesheet.path)">
            </head>
            <body>
            <header>
            <a class="brand" href="/approvals">hoopctl approvals</a>
            {{#who}}<span class="who">{{who}}</span>
            <form method="post" action="/logout" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><button class="link" id="logout">Log out</button>
            </form>{{/who}}
            </header>
            <main>
            {{{body}}}
            </main>
            </body>
            </html>

            """
        case .login:
            """
            <h1>Log in</h1>
            {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
            <p>Log in to see and decide the approval requests of your groups.</p>
            <ul class="options">
            {{#options}}<li><a class="button" href="{{href}}">{{label}}</a></li>{{/options}}
            </ul>
            {{^options}}<p class="error">No login is configured: give an identity provider a web_client_id.</p>{{/options}}
            """
        case .approvals:
            """
            <h1>Pending approvals</h1>
            <p class="meta">Requests waiting for {{groups}}.</p>
            {{#approvals}}
            <a class="card" href="/approvals/{{id}}">
            <span class="title">#{{id}} · {{resource}}</span>
            <code class="subject">{{subject}}</code>
            <span class="meta">{{requester}} · rule {{rule}} · {{progress}} · expires {{expires}}</span>
            </a>
            {{/approvals}}
            {{^approvals}}<p class="empty" id="empty">Nothing is waiting for your groups.</p>{{/approvals}}
            """
        case .approval:
            """
            <h1>Approval #{{id}} <span class="status {{status}}" id="status">{{status}}</span></h1>
            {{#notice}}<p class="notice" id="notice">{{notice}}</p>{{/notice}}
            {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
            <dl>
            <dt>Requested by</dt><dd id="requester">{{requester}}</dd>
            <dt>Resource</dt><dd>{{resource}}</dd>
            <dt>Asks for</dt><dd>{{kind}}</dd>
            {{#statement}}<dt>Statement</dt><dd><pre id="statement">{{statement}}</pre></dd>{{/statement}}
            <dt>Reason</dt><dd id="reason">{{reason}}</dd>
            <dt>Rule</dt><dd>{{rule}}</dd>
            <dt>Approvers</dt><dd>{{approvers}} · {{progress}}</dd>
            <dt>Requested</dt><dd>{{created}}</dd>
            <dt>Expires</dt><dd>{{expires}}</dd>
            {{#session}}<dt>Session</dt><dd><a href="/sessions/{{session}}">{{session}}</a></dd>{{/session}}
            </dl>
            {{#hasDecisions}}
            <h2>Decisions</h2>
            <ul class="list">
            {{#decisions}}<li><strong>{{verdict}}</strong> by {{approver}} at {{at}}{{#comment}}: <q>{{comment}}</q>{{/comment}}</li>{{/decisions}}
            </ul>
            {{/hasDecisions}}
            {{#pending}}
            <form method="post" action="/approvals/{{id}}" class="decide">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="comment">Comment (a denial needs one)</label>
            <textarea id="comment" name="comment" rows="3" maxlength="1000"></textarea>
            <div class="actions">
            <button name="decision" value="approve" class="approve" id="approve">Approve</button>
            <button name="decision" value="deny" class="deny" id="deny">Deny</button>
            </div>
            </form>
            {{/pending}}
            <h2>{{requester}}'s recent requests</h2>
            <ul class="list">
            {{#history}}<li><a href="/approvals/{{id}}">#{{id}}</a> {{resource}} · <code>{{subject}}</code> · {{status}} · {{created}}</li>{{/history}}
            {{^history}}<li>None you can see.</li>{{/history}}
            </ul>
            <h2>{{requester}}'s recent sessions</h2>
            <ul class="list">
            {{#sessions}}<li>{{resource}} · {{status}} · {{started}}</li>{{/sessions}}
            {{^sessions}}<li>None.</li>{{/sessions}}
            </ul>
            """
        case .session:
            """
            <h1>Session <code>{{id}}</code></h1>
            <dl>
            <dt>Who</dt><dd>{{who}}</dd>
            <dt>Resource</dt><dd>{{resource}} ({{type}})</dd>
            <dt>Status</dt><dd><span class="status {{status}}">{{status}}</span></dd>
            <dt>Reason</dt><dd>{{reason}}</dd>
            <dt>Started</dt><dd>{{started}}</dd>
            <dt>Ended</dt><dd>{{ended}}</dd>
            <dt>Granted until</dt><dd>{{expires}}</dd>
            <dt>Traffic</dt><dd>{{connections}} connection(s), {{bytesUp}} bytes up, {{bytesDown}} down</dd>
            </dl>
            <h2>Statements</h2>
            {{#recordingProblem}}<p class="error">{{recordingProblem}}</p>{{/recordingProblem}}
            <ol class="list">
            {{#statements}}<li><pre>{{.}}</pre></li>{{/statements}}
            </ol>
            <p><a class="button" href="/sessions/{{id}}/replay" id="replay">Replay</a></p>
            """
        case .replay:
            """
            <h1>Replay of <code>{{id}}</code></h1>
            <p class="meta">As <code>hoopctl replay {{id}} --no-timing</code> prints it, from the recording whose hash
            chain the broker has just verified.</p>
            <pre class="replay" id="replay-text">{{text}}</pre>
            <p><a href="/sessions/{{id}}">Back to the session</a></p>
            """
        case .problem:
            """
            <h1>{{heading}}</h1>
            <p class="error" id="error">{{message}}</p>
            <p><a href="/approvals">Pending approvals</a></p>
            """
        }
    }

    /// Every template, parsed; a syntax error is a programming error the unit tests catch.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for template in allCases {
            do {
                try library.register(template.text, named: template.rawValue)
            } catch {
                preconditionFailure("web template \(template.rawValue) does not parse: \(error)")
            }
        }
        return library
    }()
}
