#!/bin/bash

__hoopctl_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__hoopctl_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__hoopctl_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__hoopctl_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_hoopctl() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __hoopctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    login|logout|whoami|resources|connect|exec|mcp|sessions|approvals|replay|audit|trust|broker|witness|help)
        # Offer subcommand argument completions
        "_hoopctl_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'login logout whoami resources connect exec mcp sessions approvals replay audit trust broker witness help' -- "${cur}"))
        ;;
    esac
}

_hoopctl_login() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --issuer --saml --client-id --client-secret-file)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--issuer')
        return
        ;;
    '--saml')
        return
        ;;
    '--client-id')
        return
        ;;
    '--client-secret-file')
        __hoopctl_add_completions -f
        return
        ;;
    esac
}

_hoopctl_logout() {
    repeating_flags=()
    non_repeating_flags=(--forget-broker --version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_whoami() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_resources() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_connect() {
    repeating_flags=()
    non_repeating_flags=(--no-wait --direct --keep --version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --port --reason --duration --approval)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--port')
        return
        ;;
    '--reason')
        return
        ;;
    '--duration')
        return
        ;;
    '--approval')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion connect -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_exec() {
    repeating_flags=()
    non_repeating_flags=(--no-wait --version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --approval -f --file --reason)
    __hoopctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--approval')
        return
        ;;
    '-f'|'--file')
        return
        ;;
    '--reason')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion exec -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_mcp() {
    repeating_flags=()
    non_repeating_flags=(--print-config --version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --reason --max-rows --max-bytes)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--reason')
        return
        ;;
    '--max-rows')
        return
        ;;
    '--max-bytes')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion mcp -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_sessions() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __hoopctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|revoke)
        # Offer subcommand argument completions
        "_hoopctl_sessions_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show revoke' -- "${cur}"))
        ;;
    esac
}

_hoopctl_sessions_list() {
    repeating_flags=()
    non_repeating_flags=(--all --version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --user --resource --since)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--user')
        return
        ;;
    '--resource')
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion sessions list -- --resource "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    '--since')
        return
        ;;
    esac
}

_hoopctl_sessions_show() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion sessions show -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_sessions_revoke() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion sessions revoke -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_approvals() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __hoopctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|approve|deny|cancel)
        # Offer subcommand argument completions
        "_hoopctl_approvals_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show approve deny cancel' -- "${cur}"))
        ;;
    esac
}

_hoopctl_approvals_list() {
    repeating_flags=()
    non_repeating_flags=(--all --version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --status)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--status')
        __hoopctl_add_completions -W 'pending'$'\n''approved'$'\n''denied'$'\n''expired'$'\n''used'$'\n''withdrawn'
        return
        ;;
    esac
}

_hoopctl_approvals_show() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion approvals show -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_approvals_approve() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --reason)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--reason')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion approvals approve -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_approvals_deny() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --reason)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--reason')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion approvals deny -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_approvals_cancel() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion approvals cancel -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_replay() {
    repeating_flags=()
    non_repeating_flags=(--no-timing --ignore-case --input --version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --bundle --speed --grep --format)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--bundle')
        return
        ;;
    '--speed')
        return
        ;;
    '--grep')
        return
        ;;
    '--format')
        __hoopctl_add_completions -W 'text'$'\n''asciicast'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion replay -- positional@0 "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_hoopctl_audit() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __hoopctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    export|verify|prove)
        # Offer subcommand argument completions
        "_hoopctl_audit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'export verify prove' -- "${cur}"))
        ;;
    esac
}

_hoopctl_audit_export() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --since --until --resource --user --session --out --format)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--since')
        return
        ;;
    '--until')
        return
        ;;
    '--resource')
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion audit export -- --resource "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    '--user')
        return
        ;;
    '--session')
        __hoopctl_add_completions -W "$(__hoopctl_custom_complete ---completion audit export -- --session "${COMP_CWORD}" "$(__hoopctl_cursor_index_in_current_word)")"
        return
        ;;
    '--out')
        __hoopctl_add_completions -f
        return
        ;;
    '--format')
        __hoopctl_add_completions -W 'bundle'$'\n''jsonl'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_audit_verify() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--witness-key --previous)
    non_repeating_options=(--broker --ca --token-file --output --pubkey --min-witnesses)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--pubkey')
        __hoopctl_add_completions -f
        return
        ;;
    '--witness-key')
        return
        ;;
    '--min-witnesses')
        return
        ;;
    '--previous')
        __hoopctl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __hoopctl_add_completions -f
        return
        ;;
    esac
}

_hoopctl_audit_prove() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output --out)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    '--out')
        __hoopctl_add_completions -f
        return
        ;;
    esac
}

_hoopctl_trust() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __hoopctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    reset)
        # Offer subcommand argument completions
        "_hoopctl_trust_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'reset' -- "${cur}"))
        ;;
    esac
}

_hoopctl_trust_reset() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--output)
    __hoopctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_broker() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __hoopctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    serve|init|pubkey|rotate-audit-key|fingerprint|audit|status)
        # Offer subcommand argument completions
        "_hoopctl_broker_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'serve init pubkey rotate-audit-key fingerprint audit status' -- "${cur}"))
        ;;
    esac
}

_hoopctl_broker_serve() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--config --log-format)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--config')
        __hoopctl_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--log-format')
        __hoopctl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_hoopctl_broker_init() {
    repeating_flags=()
    non_repeating_flags=(--force --version -h --help)
    repeating_options=()
    non_repeating_options=(--config --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--config')
        __hoopctl_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_broker_pubkey() {
    repeating_flags=()
    non_repeating_flags=(--vkey --version -h --help)
    repeating_options=()
    non_repeating_options=(--config --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--config')
        __hoopctl_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_broker_rotate-audit-key() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--config --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--config')
        __hoopctl_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_broker_fingerprint() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--config --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--config')
        __hoopctl_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_broker_audit() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--config --from --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--config')
        __hoopctl_add_completions -o plusdirs -fX '!*.@(yaml|yml)'
        return
        ;;
    '--from')
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_hoopctl_broker_status() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--broker --ca --token-file --output)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--broker')
        return
        ;;
    '--ca')
        __hoopctl_add_completions -f
        return
        ;;
    '--token-file')
        __hoopctl_add_completions -f
        return
        ;;
    '--output')
        __hoopctl_add_completions -W 'text'$'\n''json'$'\n''csv'
        return
        ;;
    esac
}

_hoopctl_witness() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __hoopctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|vkey|serve)
        # Offer subcommand argument completions
        "_hoopctl_witness_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init vkey serve' -- "${cur}"))
        ;;
    esac
}

_hoopctl_witness_init() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--data-dir --name)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--data-dir')
        return
        ;;
    '--name')
        return
        ;;
    esac
}

_hoopctl_witness_vkey() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--data-dir)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--data-dir')
        return
        ;;
    esac
}

_hoopctl_witness_serve() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--log)
    non_repeating_options=(--data-dir --listen --log-format)
    __hoopctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--data-dir')
        return
        ;;
    '--listen')
        return
        ;;
    '--log')
        return
        ;;
    '--log-format')
        __hoopctl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_hoopctl_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __hoopctl_offer_flags_options -1
}

complete -o filenames -F _hoopctl hoopctl
