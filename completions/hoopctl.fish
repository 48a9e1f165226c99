function __hoopctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __hoopctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __hoopctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __hoopctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __hoopctl_parse_tokens -S
    set -l unparsed_tokens (__hoopctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'hoopctl'
        __hoopctl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'login'
            __hoopctl_parse_subcommand 0 'broker=' 'ca=' 'token-file=' 'output=' 'issuer=' 'saml=' 'client-id=' 'client-secret-file=' 'version' 'h/help'
        case 'logout'
            __hoopctl_parse_subcommand 0 'broker=' 'ca=' 'token-file=' 'output=' 'forget-broker' 'version' 'h/help'
        case 'whoami'
            __hoopctl_parse_subcommand 0 'broker=' 'ca=' 'token-file=' 'output=' 'version' 'h/help'
        case 'resources'
            __hoopctl_parse_subcommand 0 'broker=' 'ca=' 'token-file=' 'output=' 'version' 'h/help'
        case 'connect'
            __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'no-wait' 'port=' 'direct' 'reason=' 'duration=' 'keep' 'approval=' 'version' 'h/help'
        case 'exec'
            __hoopctl_parse_subcommand -r 2 'broker=' 'ca=' 'token-file=' 'output=' 'no-wait' 'approval=' 'f/file=' 'reason=' 'version' 'h/help'
        case 'mcp'
            __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'reason=' 'print-config' 'max-rows=' 'max-bytes=' 'version' 'h/help'
        case 'sessions'
            __hoopctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __hoopctl_parse_subcommand 0 'broker=' 'ca=' 'token-file=' 'output=' 'all' 'user=' 'resource=' 'since=' 'version' 'h/help'
            case 'show'
                __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'version' 'h/help'
            case 'revoke'
                __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'version' 'h/help'
            end
        case 'approvals'
            __hoopctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __hoopctl_parse_subcommand 0 'broker=' 'ca=' 'token-file=' 'output=' 'status=' 'all' 'version' 'h/help'
            case 'show'
                __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'version' 'h/help'
            case 'approve'
                __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'reason=' 'version' 'h/help'
            case 'deny'
                __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'reason=' 'version' 'h/help'
            case 'cancel'
                __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'version' 'h/help'
            end
        case 'replay'
            __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'bundle=' 'speed=' 'no-timing' 'grep=' 'ignore-case' 'input' 'format=' 'version' 'h/help'
        case 'audit'
            __hoopctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'export'
                __hoopctl_parse_subcommand 0 'broker=' 'ca=' 'token-file=' 'output=' 'since=' 'until=' 'resource=' 'user=' 'session=' 'out=' 'format=' 'version' 'h/help'
            case 'verify'
                __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'pubkey=' 'witness-key=+' 'min-witnesses=' 'previous=+' 'version' 'h/help'
            case 'prove'
                __hoopctl_parse_subcommand 1 'broker=' 'ca=' 'token-file=' 'output=' 'out=' 'version' 'h/help'
            end
        case 'trust'
            __hoopctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'reset'
                __hoopctl_parse_subcommand 1 'output=' 'version' 'h/help'
            end
        case 'broker'
            __hoopctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'serve'
                __hoopctl_parse_subcommand 0 'config=' 'log-format=' 'version' 'h/help'
            case 'init'
                __hoopctl_parse_subcommand 0 'config=' 'output=' 'force' 'version' 'h/help'
            case 'pubkey'
                __hoopctl_parse_subcommand 0 'config=' 'output=' 'vkey' 'version' 'h/help'
            case 'rotate-audit-key'
                __hoopctl_parse_subcommand 0 'config=' 'output=' 'version' 'h/help'
            case 'fingerprint'
                __hoopctl_parse_subcommand 0 'config=' 'output=' 'version' 'h/help'
            case 'audit'
                __hoopctl_parse_subcommand 0 'config=' 'from=' 'output=' 'version' 'h/help'
            case 'status'
                __hoopctl_parse_subcommand 0 'broker=' 'ca=' 'token-file=' 'output=' 'version' 'h/help'
            end
        case 'witness'
            __hoopctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'init'
                __hoopctl_parse_subcommand 0 'data-dir=' 'name=' 'version' 'h/help'
            case 'vkey'
                __hoopctl_parse_subcommand 0 'data-dir=' 'version' 'h/help'
            case 'serve'
                __hoopctl_parse_subcommand 0 'data-dir=' 'listen=' 'log=+' 'log-format=' 'version' 'h/help'
            end
        case 'help'
            __hoopctl_parse_subcommand -r 1 'version'
        end
    end
end

function __hoopctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __hoopctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __hoopctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __hoopctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__hoopctl_tokens -p)
    if test -z "$(__hoopctl_tokens -t)"
        set -l index (count (__hoopctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'hoopctl' -f
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'login' -d 'Log in to the broker and cache the token.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'logout' -d 'Forget the cached login for the broker.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'whoami' -d 'Show who the broker thinks you are.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'resources' -d 'List the resources you may connect to, with their guardrails, approvals and masking.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'connect' -d 'Open a session to a resource and forward a local port to it.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'exec' -d 'Run SQL or a command on a resource through the broker, without a local port.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'mcp' -d 'Serve the broker\'s resources to an AI agent as MCP tools over stdio.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'sessions' -d 'List, inspect or revoke just-in-time sessions.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'approvals' -d 'List, inspect, approve, deny or cancel approval requests.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'replay' -d 'Play a recorded session back, from the broker or from an exported bundle.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'audit' -d 'Export audit evidence from the broker, or verify an exported bundle offline.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'trust' -d 'Manage pinned broker certificates.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'broker' -d 'Run and inspect the broker daemon.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'witness' -d 'Run a transparency-log witness that cosigns the broker\'s audit checkpoints.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" issuer' -l 'issuer' -d 'Issuer to log in with when the broker trusts several (default: the first it lists).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" saml' -l 'saml' -d 'Log in through the broker\'s SAML identity provider NAME (\'\' picks the only one).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" client-id' -l 'client-id' -d 'Log in as this OIDC client with the client-credentials grant instead of the device flow.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" client-secret-file' -l 'client-secret-file' -d 'File holding the client secret for --client-id (default: HOOP_CLIENT_SECRET).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl login" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl logout" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl logout" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl logout" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl logout" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl logout" forget-broker' -l 'forget-broker' -d 'Also forget the broker\'s pinned certificate, so the next contact trusts it on first use again.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl logout" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl logout" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl whoami" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl whoami" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl whoami" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl whoami" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl whoami" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl whoami" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl resources" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl resources" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl resources" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl resources" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl resources" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl resources" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" no-wait' -l 'no-wait' -d 'Do not wait for approvals: exit 4 at once with the request id (resume later with --approval ID).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl connect" -eq 1' -fka '(__hoopctl_custom_completion ---completion connect -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" port' -l 'port' -d 'Local port to listen on, on 127.0.0.1 only (0 picks a free port).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" direct' -l 'direct' -d 'Connect PostgreSQL clients to the broker itself over verified TLS instead of a local port.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" reason' -l 'reason' -d 'Why you need access; recorded with the session.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" duration' -l 'duration' -d 'How long the session should last, e.g. 30m or 1h30m (the broker caps it).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" keep' -l 'keep' -d 'On Ctrl-C, leave the session open until it expires (default: end it, closing what it granted).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" approval' -l 'approval' -d 'Resume this session request (from an earlier --no-wait run) instead of opening a new one.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl connect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" no-wait' -l 'no-wait' -d 'Do not wait for approvals: exit 4 at once with the request id (resume later with --approval ID).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" approval' -l 'approval' -d 'Use this approved request (from an earlier --no-wait run) for the statement or session.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl exec" -eq 1' -fka '(__hoopctl_custom_completion ---completion exec -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" f file' -s 'f' -l 'file' -d 'Read the SQL from this file.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" reason' -l 'reason' -d 'Why you need access; recorded with the session.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl exec" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl mcp" -eq 1' -fka '(__hoopctl_custom_completion ---completion mcp -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" reason' -l 'reason' -d 'Why the session on RESOURCE is needed (shown to approvers and in the audit trail).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" print-config' -l 'print-config' -d 'Print the MCP server entry for an agent host\'s settings (JSON) and exit.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" max-rows' -l 'max-rows' -d 'Rows per statement a query returns when it does not ask for fewer.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" max-bytes' -l 'max-bytes' -d 'Bytes of results (cell text, command output) per call.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl mcp" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl sessions" -eq 1' -fa 'list' -d 'List your sessions, or everyone\'s with --all.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl sessions" -eq 1' -fa 'show' -d 'Show one session: who, what, why, when, and its traffic.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl sessions" -eq 1' -fa 'revoke' -d 'Revoke a session; the broker closes its tunnels at once.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" all' -l 'all' -d 'List every user\'s sessions (needs the broker\'s permission).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" user' -l 'user' -d 'Only sessions of this user (subject or email).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" resource' -l 'resource' -d 'Only sessions to this resource.' -rfka '(__hoopctl_custom_completion ---completion sessions list -- --resource (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" since' -l 'since' -d 'Only sessions created at or after this RFC 3339 time.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions show" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions show" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions show" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions show" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl sessions show" -eq 1' -fka '(__hoopctl_custom_completion ---completion sessions show -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions show" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions revoke" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions revoke" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions revoke" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions revoke" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl sessions revoke" -eq 1' -fka '(__hoopctl_custom_completion ---completion sessions revoke -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions revoke" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl sessions revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals" -eq 1' -fa 'list' -d 'List pending requests you made or may decide (--all for every status).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals" -eq 1' -fa 'show' -d 'Show one request: the exact statement, its SHA-256, who asked, why, and every decision.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals" -eq 1' -fa 'approve' -d 'Approve a request (you must be in one of its approver groups and not its requester).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals" -eq 1' -fa 'deny' -d 'Deny a request, saying why.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals" -eq 1' -fa 'cancel' -d 'Withdraw your own request: approvers are told, and it can never be used.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals list" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals list" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals list" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals list" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals list" status' -l 'status' -d 'Only requests in this status.' -rfka 'pending approved denied expired used withdrawn'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals list" all' -l 'all' -d 'Requests in every status.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals list" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals show" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals show" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals show" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals show" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals show" -eq 1' -fka '(__hoopctl_custom_completion ---completion approvals show -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals show" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals approve" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals approve" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals approve" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals approve" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals approve" -eq 1' -fka '(__hoopctl_custom_completion ---completion approvals approve -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals approve" reason' -l 'reason' -d 'Why you approve; recorded in the audit trail.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals approve" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals approve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals deny" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals deny" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals deny" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals deny" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals deny" -eq 1' -fka '(__hoopctl_custom_completion ---completion approvals deny -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals deny" reason' -l 'reason' -d 'Why you deny; the requester sees it and the audit trail keeps it.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals deny" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals deny" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals cancel" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals cancel" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals cancel" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals cancel" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl approvals cancel" -eq 1' -fka '(__hoopctl_custom_completion ---completion approvals cancel -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals cancel" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl approvals cancel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl replay" -eq 1' -fka '(__hoopctl_custom_completion ---completion replay -- positional@0 (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" bundle' -l 'bundle' -d 'Read the recording from this exported bundle instead of the broker.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" speed' -l 'speed' -d 'Playback speed multiplier.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" no-timing' -l 'no-timing' -d 'Print everything at once, without the original pauses.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" grep' -l 'grep' -d 'Only statements or output matching this regular expression.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" ignore-case' -l 'ignore-case' -d 'Match --grep regardless of case.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" input' -l 'input' -d 'Also show what the client typed (terminal sessions).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" format' -l 'format' -d 'text (default) or asciicast.' -rfka 'text asciicast'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl replay" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl audit" -eq 1' -fa 'export' -d 'Write a signed evidence bundle (or the event table, for SIEM import).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl audit" -eq 1' -fa 'verify' -d 'Verify an exported bundle or an inclusion proof offline: tree, signatures, witnesses, recordings.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl audit" -eq 1' -fa 'prove' -d 'Write one audit event\'s inclusion proof, checkable alone with `hoopctl audit verify FILE`.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" since' -l 'since' -d 'Only events at or after this RFC 3339 time.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" until' -l 'until' -d 'Only events at or before this RFC 3339 time.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" resource' -l 'resource' -d 'Only events about this resource.' -rfka '(__hoopctl_custom_completion ---completion audit export -- --resource (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" user' -l 'user' -d 'Only events by this actor (email or subject).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" session' -l 'session' -d 'Only events of this session.' -rfka '(__hoopctl_custom_completion ---completion audit export -- --session (count (__hoopctl_tokens -pc)) (__hoopctl_tokens -tC))'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" out' -l 'out' -d 'Where to write: a new directory for a bundle, a file for jsonl/csv (- for stdout).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" format' -l 'format' -d 'bundle (default), jsonl or csv.' -rfka 'bundle jsonl csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl audit verify" -eq 1' -F
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify" pubkey' -l 'pubkey' -d 'File holding the trusted audit public key (ed25519:BASE64).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify"' -l 'witness-key' -d 'A witness\'s verifier key (name+keyid+base64), or a file holding one. Repeatable.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify" min-witnesses' -l 'min-witnesses' -d 'Fail unless this many of the witnesses cosigned every event.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify"' -l 'previous' -d 'An older bundle or checkpoint file this evidence must extend. Repeatable.' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit prove" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit prove" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit prove" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit prove" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit prove" out' -l 'out' -d 'Where to write the proof (default: stdout).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit prove" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl audit prove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl trust" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl trust" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl trust" -eq 1' -fa 'reset' -d 'Forget a broker\'s pinned certificate; the next contact trusts it on first use again.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl trust reset" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl trust reset" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl trust reset" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl broker" -eq 1' -fa 'serve' -d 'Run the broker: HTTPS API and tunnels on one port.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl broker" -eq 1' -fa 'init' -d 'Write a commented starter broker configuration.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl broker" -eq 1' -fa 'pubkey' -d 'Print the broker\'s audit public key (creating the key if this is a new data directory).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl broker" -eq 1' -fa 'rotate-audit-key' -d 'Replace the audit signing key; the old key signs the hand-over. Stop the broker first.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl broker" -eq 1' -fa 'fingerprint' -d 'Print the SHA-256 fingerprint and path of the broker\'s TLS CA certificate.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl broker" -eq 1' -fa 'audit' -d 'Print the broker\'s audit log and verify its leaves and signed checkpoints.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl broker" -eq 1' -fa 'status' -d 'Show every broker of the deployment: version, state and last heartbeat.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker serve" config' -l 'config' -d 'Path of the broker\'s YAML configuration.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker serve" log-format' -l 'log-format' -d 'Log format: text or json.' -rfka 'text json'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker serve" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker init" config' -l 'config' -d 'Path of the broker\'s YAML configuration.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker init" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker init" force' -l 'force' -d 'Overwrite an existing file.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker init" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker pubkey" config' -l 'config' -d 'Path of the broker\'s YAML configuration.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker pubkey" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker pubkey" vkey' -l 'vkey' -d 'Print the log\'s verifier key (origin+keyid+key) for `hoopctl witness serve --log`.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker pubkey" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker pubkey" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker rotate-audit-key" config' -l 'config' -d 'Path of the broker\'s YAML configuration.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker rotate-audit-key" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker rotate-audit-key" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker rotate-audit-key" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker fingerprint" config' -l 'config' -d 'Path of the broker\'s YAML configuration.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker fingerprint" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker fingerprint" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker fingerprint" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker audit" config' -l 'config' -d 'Path of the broker\'s YAML configuration.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker audit" from' -l 'from' -d 'Print events from this sequence number on.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker audit" output' -l 'output' -d 'Output format: text or json (one event per line).' -rfka 'text json'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker audit" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker status" broker' -l 'broker' -d 'Broker address, https://HOST:PORT (default: HOOP_BROKER, else https://127.0.0.1:8443).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker status" ca' -l 'ca' -d 'PEM file of the CA that signs the broker\'s certificate (default: HOOP_CA, else trust the broker on first use and pin its certificate).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker status" token-file' -l 'token-file' -d 'File holding an OIDC access token to use instead of the cached login (HOOP_TOKEN takes precedence).' -rF
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker status" output' -l 'output' -d 'Output format: text for people, json for scripts and agents.' -rfka 'text json csv'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker status" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl broker status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl witness" -eq 1' -fa 'init' -d 'Create a witness\'s key and name in a new data directory and print its verifier key.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl witness" -eq 1' -fa 'vkey' -d 'Print the witness\'s verifier key (name+keyid+key).'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_positional "hoopctl witness" -eq 1' -fa 'serve' -d 'Run the witness: cosign each checkpoint of the given logs that extends the last one it cosigned.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness init" data-dir' -l 'data-dir' -d 'The witness\'s directory: its key, its name and its store.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness init" name' -l 'name' -d 'The witness\'s name, conventionally a schema-less URL (e.g. witness.example.com/w1).' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness init" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness vkey" data-dir' -l 'data-dir' -d 'The witness\'s directory: its key, its name and its store.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness vkey" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness vkey" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness serve" data-dir' -l 'data-dir' -d 'The witness\'s directory: its key, its name and its store.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness serve" listen' -l 'listen' -d 'Address to listen on, host:port ([v6]:port); port 0 picks a free one.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness serve"' -l 'log' -d 'A log\'s checkpoint verifier key, as `hoopctl broker pubkey --vkey` prints it; repeat for more logs.' -rfka ''
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness serve" log-format' -l 'log-format' -d 'Log format: text or json.' -rfka 'text json'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness serve" version' -l 'version' -d 'Show the version.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl witness serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hoopctl' -n '__hoopctl_should_offer_completions_for_flags_or_options "hoopctl help" version' -l 'version' -d 'Show the version.'
