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
            'resources:List the resources you may connect to.'
            'connect:Open a session to a resource and forward a local port to it.'
            'exec:Run SQL or a command on a resource through the broker, without a local port.'
            'sessions:List or revoke just-in-time sessions.'
            'trust:Manage pinned broker certificates.'
            'broker:Run and inspect the broker daemon.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        login|logout|whoami|resources|connect|exec|sessions|trust|broker|help)
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
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--issuer[Issuer to log in with when the broker trusts several (default\: the first it lists).]:issuer:'
        '--client-id[Log in as this OIDC client with the client-credentials grant instead of the device flow.]:client-id:'
        '--client-secret-file[File holding the client secret for --client-id (default\: HOOP_CLIENT_SECRET).]:file:'
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
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:'
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
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:'
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
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:'
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
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':resource:'
        '--port[Local port to listen on, on 127.0.0.1 only (0 picks a free port).]:port:'
        '--reason[Why you need access; recorded with the session.]:reason:'
        '--duration[How long the session should last, e.g. 30m or 1h30m (the broker caps it).]:duration:'
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
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':resource:'
        '(-f --file)'{-f,--file}'[Read the SQL from this file.]:file:'
        '--reason[Why you need access; recorded with the session.]:reason:'
        '*:sql:'
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
            'revoke:Revoke a session; the broker closes its tunnels at once.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|revoke)
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
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        '--all[List every user'\''s sessions (needs the broker'\''s permission).]'
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
        '--ca[PEM file of the CA that signs the broker'\''s certificate (default\: HOOP_CA, else trust the broker on first use and pin its certificate).]:file:'
        '--token-file[File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).]:file:'
        '--output[Output format\: text for people, json for scripts and agents.]:output:{__hoopctl_complete "${___output[@]}"}'
        ':id:'
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
            'fingerprint:Print the SHA-256 fingerprint and path of the broker'\''s TLS CA certificate.'
            'audit:Print the broker'\''s audit chain and verify its hash links.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        serve|init|pubkey|fingerprint|audit)
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
        '--config[Path of the broker'\''s YAML configuration.]:config:'
        '--log-format[Log format\: text or json.]:log-format:{__hoopctl_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_init() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:'
        '--force[Overwrite an existing file.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_pubkey() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_hoopctl_broker_fingerprint() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Path of the broker'\''s YAML configuration.]:config:'
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
        '--config[Path of the broker'\''s YAML configuration.]:config:'
        '--from[Print events from this sequence number on.]:from:'
        '--output[Output format\: text or json (one event per line).]:output:{__hoopctl_complete "${___output[@]}"}'
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
