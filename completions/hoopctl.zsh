#compdef hoopctl

__hoopctl_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__hoopctl_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __hoopctl_complete "${completions[@]:0:-1}"
    fi
}

__hoopctl_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_hoopctl() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'login:Log in to the broker and cache the token.'
            'logout:Forget the cached login for the broker.'
            'whoami:Show who the broker thinks you are.'
            'resources:List the resources you may connect to, with their guardrails, approvals and masking.'
            'connect:Open a session to a resource and forward a local port to it.'
            'exec:Run SQL or a command on a resource through the broker, without a local port.'
            'mcp:Serve the broker'\''s resources to an AI agent as MCP tools over stdio.'
            'sessions:List, inspect or revoke just-in-time sessions.'
            'approvals:List, inspect, approve, deny or cancel approval requests.'
            'replay:Play a recorded session back, from the broker or from an exported bundle.'
            'audit:Export audit evidence from the broker, or verify an exported bundle offline.'
            'trust:Manage pinned broker certificates.'
            'broker:Run and inspect the broker daemon.'
            'witness:Run a transparency-log witness that cosigns the broker'\''s audit checkpoints.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        login|logout|whoami|resources|connect|exec|mcp|sessions|approvals|replay|audit|trust|broker|witness|help)
            "_hoopctl_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hoopctl_login() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--issuer[Issuer to log in with when the broker trusts several (default\: the first it lists).]:issuer:'
        '--saml[Log in through the broker'\''s SAML identity provider NAME ('\'''\'' picks the only one).]:name:'
        '--client-id[Log in as this OIDC client with the client-credentials grant instead of the device flow.]:client-id:'
        '--client-secret-file[File holding the client secret for --client-id (default\: HOOP_CLIENT_SECRET).]:file:_files'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_logout() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--forget-broker[Also forget the broker'\''s pinned certificate, so the next contact trusts it on first use again.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_whoami() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_resources() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_connect() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--no-wait[Do not wait for approvals\: exit 4 at once with the request id (resume later with --approval ID).]'
        ':resource:{__hoopctl_custom_complete ---completion connect -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--port[Local port to listen on, on 127.0.0.1 only (0 picks a free port).]:port:'
        '--direct[Connect PostgreSQL clients to the broker itself over verified TLS instead of a local port.]'
        '--reason[Why you need access; recorded with the session.]:reason:'
        '--duration[How long the session should last, e.g. 30m or 1h30m (the broker caps it).]:duration:'
        '--keep[On Ctrl-C, leave the session open until it expires (default\: end it, closing what it granted).]'
        '--approval[Resume this session request (from an earlier --no-wait run) instead of opening a new one.]:approval:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_exec() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--no-wait[Do not wait for approvals\: exit 4 at once with the request id (resume later with --approval ID).]'
        '--approval[Use this approved request (from an earlier --no-wait run) for the statement or session.]:approval:'
        ':resource:{__hoopctl_custom_complete ---completion exec -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '(-f --file)'{-f,--file}'[Read the SQL from this file.]:file:'
        '--reason[Why you need access; recorded with the session.]:reason:'
        '*:sql:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_mcp() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':resource:{__hoopctl_custom_complete ---completion mcp -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--reason[Why the session on RESOURCE is needed (shown to approvers and in the audit trail).]:reason:'
        '--print-config[Print the MCP server entry for an agent host'\''s settings (JSON) and exit.]'
        '--max-rows[Rows per statement a query returns when it does not ask for fewer.]:max-rows:'
        '--max-bytes[Bytes of results (cell text, command output) per call.]:max-bytes:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_sessions() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List your sessions, or everyone'\''s with --all.'
            'show:Show one session: who, what, why, when, and its traffic.'
            'revoke:Revoke a session; the broker closes its tunnels at once.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|show|revoke)
            "_hoopctl_sessions_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hoopctl_sessions_list() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--all[List every user'\''s sessions (needs the broker'\''s permission).]'
        '--user[Only sessions of this user (subject or email).]:user:'
        '--resource[Only sessions to this resource.]:resource:{__hoopctl_custom_complete ---completion sessions list -- --resource "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--since[Only sessions created at or after this RFC 3339 time.]:since:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_sessions_show() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':id:{__hoopctl_custom_complete ---completion sessions show -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_sessions_revoke() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':id:{__hoopctl_custom_complete ---completion sessions revoke -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_approvals() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:List pending requests you made or may decide (--all for every status).'
            'show:Show one request: the exact statement, its SHA-256, who asked, why, and every decision.'
            'approve:Approve a request (you must be in one of its approver groups and not its requester).'
            'deny:Deny a request, saying why.'
            'cancel:Withdraw your own request: approvers are told, and it can never be used.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|show|approve|deny|cancel)
            "_hoopctl_approvals_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hoopctl_approvals_list() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar ___status=('pending' 'approved' 'denied' 'expired' 'used' 'withdrawn')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--status[Only requests in this status.]:status:{__hoopctl_complete "${___status[@]}"}'
        '--all[Requests in every status.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_approvals_show() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':id:{__hoopctl_custom_complete ---completion approvals show -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_approvals_approve() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':id:{__hoopctl_custom_complete ---completion approvals approve -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--reason[Why you approve; recorded in the audit trail.]:reason:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_approvals_deny() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':id:{__hoopctl_custom_complete ---completion approvals deny -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--reason[Why you deny; the requester sees it and the audit trail keeps it.]:reason:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_approvals_cancel() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':id:{__hoopctl_custom_complete ---completion approvals cancel -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_replay() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar ___format=('text' 'asciicast')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':session:{__hoopctl_custom_complete ---completion replay -- positional@0 "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--bundle[Read the recording from this exported bundle instead of the broker.]:bundle:'
        '--speed[Playback speed multiplier.]:speed:'
        '--no-timing[Print everything at once, without the original pauses.]'
        '--grep[Only statements or output matching this regular expression.]:grep:'
        '--ignore-case[Match --grep regardless of case.]'
        '--input[Also show what the client typed (terminal sessions).]'
        '--format[text (default) or asciicast.]:format:{__hoopctl_complete "${___format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_audit() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'export:Write a signed evidence bundle (or the event table, for SIEM import).'
            'verify:Verify an exported bundle or an inclusion proof offline: tree, signatures, witnesses, recordings.'
            'prove:Write one audit event'\''s inclusion proof, checkable alone with `hoopctl audit verify FILE`.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        export|verify|prove)
            "_hoopctl_audit_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hoopctl_audit_export() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar ___format=('bundle' 'jsonl' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--since[Only events at or after this RFC 3339 time.]:since:'
        '--until[Only events at or before this RFC 3339 time.]:until:'
        '--resource[Only events about this resource.]:resource:{__hoopctl_custom_complete ---completion audit export -- --resource "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--user[Only events by this actor (email or subject).]:user:'
        '--session[Only events of this session.]:session:{__hoopctl_custom_complete ---completion audit export -- --session "${current_word_index}" "$(__hoopctl_cursor_index_in_current_word)"}'
        '--out[Where to write\: a new directory for a bundle, a file for jsonl/csv (- for stdout).]:out:_files'
        '--format[bundle (default), jsonl or csv.]:format:{__hoopctl_complete "${___format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_audit_verify() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':evidence:_files'
        '--pubkey[File holding the trusted audit public key (ed25519\:BASE64).]:pubkey:_files'
        '*--witness-key[A witness'\''s verifier key (name+keyid+base64), or a file holding one. Repeatable.]:witness-key:'
        '--min-witnesses[Fail unless this many of the witnesses cosigned every event.]:min-witnesses:'
        '*--previous[An older bundle or checkpoint file this evidence must extend. Repeatable.]:previous:_files'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_audit_prove() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':seq:'
        '--out[Where to write the proof (default\: stdout).]:out:_files'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_trust() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'reset:Forget a broker'\''s pinned certificate; the next contact trusts it on first use again.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        reset)
            "_hoopctl_trust_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hoopctl_trust_reset() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        ':broker:'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'serve:Run the broker: HTTPS API and tunnels on one port.'
            'init:Write a commented starter broker configuration.'
            'pubkey:Print the broker'\''s audit public key (creating the key if this is a new data directory).'
            'rotate-audit-key:Replace the audit signing key; the old key signs the hand-over. Stop the broker first.'
            'fingerprint:Print the SHA-256 fingerprint and path of the broker'\''s TLS CA certificate.'
            'audit:Print the broker'\''s audit log and verify its leaves and signed checkpoints.'
            'status:Show every broker of the deployment: version, state and last heartbeat.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        serve|init|pubkey|rotate-audit-key|fingerprint|audit|status)
            "_hoopctl_broker_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hoopctl_broker_serve() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:_files -g '\''*.yaml *.yml'\'''
        '--log-format[Log format\: text or json.]:log-format:{__hoopctl_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_init() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:_files -g '\''*.yaml *.yml'\'''
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--force[Overwrite an existing file.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_pubkey() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:_files -g '\''*.yaml *.yml'\'''
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--vkey[Print the log'\''s verifier key (origin+keyid+key) for `hoopctl witness serve --log`.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_rotate-audit-key() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:_files -g '\''*.yaml *.yml'\'''
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_fingerprint() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:_files -g '\''*.yaml *.yml'\'''
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_audit() {
    local -i ret=1
    local -ar ___output=('text' 'json')
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:_files -g '\''*.yaml *.yml'\'''
        '--from[Print events from this sequence number on.]:from:'
        '--output[Output format\: text or json (one event per line).]:output:{__hoopctl_complete "${___output[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_status() {
    local -i ret=1
    local -ar ___output=('text' 'json' 'csv')
    local -ar arg_specs=(
        '--broker[Broker address, https\://HOST\:PORT (default\: HOOP_BROKER, else https\://127.0.0.1\:8443).]:url:'
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:_files'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:_files'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_witness() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'init:Create a witness'\''s key and name in a new data directory and print its verifier key.'
            'vkey:Print the witness'\''s verifier key (name+keyid+key).'
            'serve:Run the witness: cosign each checkpoint of the given logs that extends the last one it cosigned.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        init|vkey|serve)
            "_hoopctl_witness_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_hoopctl_witness_init() {
    local -i ret=1
    local -ar arg_specs=(
        '--data-dir[The witness'\''s directory\: its key, its name and its store.]:data-dir:'
        '--name[The witness'\''s name, conventionally a schema-less URL (e.g. witness.example.com/w1).]:name:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_witness_vkey() {
    local -i ret=1
    local -ar arg_specs=(
        '--data-dir[The witness'\''s directory\: its key, its name and its store.]:data-dir:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_witness_serve() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '--data-dir[The witness'\''s directory\: its key, its name and its store.]:data-dir:'
        '--listen[Address to listen on, host\:port (\[v6\]\:port); port 0 picks a free one.]:listen:'
        '*--log[A log'\''s checkpoint verifier key, as `hoopctl broker pubkey --vkey` prints it; repeat for more logs.]:log:'
        '--log-format[Log format\: text or json.]:log-format:{__hoopctl_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _hoopctl ]]; then
    _hoopctl "${@}"
else
    compdef _hoopctl hoopctl
fi
