#!/bin/bash

__osm_cursor_index_in_current_word() {
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
__osm_offer_flags_options() {
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

__osm_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__osm_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_osm() {
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
    local -a non_repeating_flags=(-h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __osm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    install|mesh|namespace|proxy|dashboard|verify|metrics|policy|version|env|completion|help)
        # Offer subcommand argument completions
        "_osm_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'install mesh namespace proxy dashboard verify metrics policy version env completion help' -- "${cur}"))
        ;;
    esac
}

_osm_install() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v --mesh-name --container-registry --container-registry-secret --osm-image-tag --osm-image-pull-policy --osm-chart-path --certificate-manager --vault-host --vault-protocol --vault-token --vault-role --cert-manager-issuer-name --cert-manager-issuer-kind --cert-manager-issuer-group --service-cert-validity-duration --prometheus-retention-time --envoy-log-level --enable-debug-server --enable-permissive-traffic-policy --enable-egress --deploy-prometheus --enable-prometheus-scraping --deploy-grafana --enable-fluentbit --deploy-jaeger --enforce-single-mesh --timeout --atomic --resume --set --dry-run -o --output)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '--mesh-name')
        return
        ;;
    '--container-registry')
        return
        ;;
    '--container-registry-secret')
        return
        ;;
    '--osm-image-tag')
        return
        ;;
    '--osm-image-pull-policy')
        return
        ;;
    '--osm-chart-path')
        return
        ;;
    '--certificate-manager')
        return
        ;;
    '--vault-host')
        return
        ;;
    '--vault-protocol')
        return
        ;;
    '--vault-token')
        return
        ;;
    '--vault-role')
        return
        ;;
    '--cert-manager-issuer-name')
        return
        ;;
    '--cert-manager-issuer-kind')
        return
        ;;
    '--cert-manager-issuer-group')
        return
        ;;
    '--service-cert-validity-duration')
        return
        ;;
    '--prometheus-retention-time')
        return
        ;;
    '--envoy-log-level')
        return
        ;;
    '--enable-debug-server')
        return
        ;;
    '--enable-permissive-traffic-policy')
        return
        ;;
    '--enable-egress')
        return
        ;;
    '--deploy-prometheus')
        return
        ;;
    '--enable-prometheus-scraping')
        return
        ;;
    '--deploy-grafana')
        return
        ;;
    '--enable-fluentbit')
        return
        ;;
    '--deploy-jaeger')
        return
        ;;
    '--enforce-single-mesh')
        return
        ;;
    '--timeout')
        return
        ;;
    '--atomic')
        return
        ;;
    '--resume')
        return
        ;;
    '--set')
        return
        ;;
    '--dry-run')
        return
        ;;
    '-o'|'--output')
        return
        ;;
    esac
}

_osm_mesh() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __osm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    upgrade|list|uninstall)
        # Offer subcommand argument completions
        "_osm_mesh_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'upgrade list uninstall' -- "${cur}"))
        ;;
    esac
}

_osm_mesh_upgrade() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v --mesh-name --osm-chart-path --container-registry --osm-image-tag --enable-permissive-traffic-policy --enable-egress --enable-debug-server --envoy-log-level --enable-prometheus-scraping --use-https-ingress --service-cert-validity-duration --enable-tracing --tracing-address --tracing-port --tracing-endpoint --outbound-ip-range-exclusion-list --enable-privileged-init-container --dry-run)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '--mesh-name')
        return
        ;;
    '--osm-chart-path')
        return
        ;;
    '--container-registry')
        return
        ;;
    '--osm-image-tag')
        return
        ;;
    '--enable-permissive-traffic-policy')
        return
        ;;
    '--enable-egress')
        return
        ;;
    '--enable-debug-server')
        return
        ;;
    '--envoy-log-level')
        return
        ;;
    '--enable-prometheus-scraping')
        return
        ;;
    '--use-https-ingress')
        return
        ;;
    '--service-cert-validity-duration')
        return
        ;;
    '--enable-tracing')
        return
        ;;
    '--tracing-address')
        return
        ;;
    '--tracing-port')
        return
        ;;
    '--tracing-endpoint')
        return
        ;;
    '--outbound-ip-range-exclusion-list')
        return
        ;;
    '--enable-privileged-init-container')
        return
        ;;
    '--dry-run')
        return
        ;;
    esac
}

_osm_mesh_list() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v -o --output)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '-o'|'--output')
        return
        ;;
    esac
}

_osm_mesh_uninstall() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v --mesh-name -f --force)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '--mesh-name')
        return
        ;;
    '-f'|'--force')
        return
        ;;
    esac
}

_osm_namespace() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __osm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|remove|list|ignore)
        # Offer subcommand argument completions
        "_osm_namespace_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add remove list ignore' -- "${cur}"))
        ;;
    esac
}

_osm_namespace_add() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v --mesh-name --disable-sidecar-injection)
    __osm_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '--mesh-name')
        return
        ;;
    '--disable-sidecar-injection')
        return
        ;;
    esac
}

_osm_namespace_remove() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v --mesh-name)
    __osm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '--mesh-name')
        return
        ;;
    esac
}

_osm_namespace_list() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v -o --output --mesh-name)
    __osm_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '-o'|'--output')
        return
        ;;
    '--mesh-name')
        return
        ;;
    esac
}

_osm_namespace_ignore() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v)
    __osm_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    esac
}

_osm_proxy() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __osm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    get)
        # Offer subcommand argument completions
        "_osm_proxy_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'get' -- "${cur}"))
        ;;
    esac
}

_osm_proxy_get() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v -n --namespace -f --file -p --local-port)
    __osm_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-f'|'--file')
        __osm_add_completions -f
        return
        ;;
    '-p'|'--local-port')
        return
        ;;
    esac
}

_osm_dashboard() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v -p --local-port -r --remote-port -b --open-browser)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '-p'|'--local-port')
        return
        ;;
    '-r'|'--remote-port')
        return
        ;;
    '-b'|'--open-browser')
        return
        ;;
    esac
}

_osm_verify() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __osm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    connectivity|control-plane)
        # Offer subcommand argument completions
        "_osm_verify_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'connectivity control-plane' -- "${cur}"))
        ;;
    esac
}

_osm_verify_connectivity() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--from-pod --from-namespace --to-ext-host --to-ext-port --app-protocol --mesh-name --wait --osm-namespace --kubeconfig --context --request-timeout -v --v)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--from-pod')
        return
        ;;
    '--from-namespace')
        return
        ;;
    '--to-ext-host')
        return
        ;;
    '--to-ext-port')
        return
        ;;
    '--app-protocol')
        return
        ;;
    '--mesh-name')
        return
        ;;
    '--wait')
        return
        ;;
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    esac
}

_osm_verify_control-plane() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--mesh-name --osm-namespace --kubeconfig --context --request-timeout -v --v)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--mesh-name')
        return
        ;;
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    esac
}

_osm_metrics() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __osm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    enable|disable)
        # Offer subcommand argument completions
        "_osm_metrics_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'enable disable' -- "${cur}"))
        ;;
    esac
}

_osm_metrics_enable() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v --namespace)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '--namespace')
        return
        ;;
    esac
}

_osm_metrics_disable() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v --namespace)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    '--namespace')
        return
        ;;
    esac
}

_osm_policy() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __osm_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    check-pods)
        # Offer subcommand argument completions
        "_osm_policy_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'check-pods' -- "${cur}"))
        ;;
    esac
}

_osm_policy_check-pods() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace --kubeconfig --context --request-timeout -v --v)
    __osm_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    '--kubeconfig')
        __osm_add_completions -f
        return
        ;;
    '--context')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '-v'|'--v')
        return
        ;;
    esac
}

_osm_version() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(-o --output)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-o'|'--output')
        return
        ;;
    esac
}

_osm_env() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=(--osm-namespace)
    __osm_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--osm-namespace')
        return
        ;;
    esac
}

_osm_completion() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __osm_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __osm_add_completions -W 'bash'$'\n''zsh'$'\n''fish'
        return
        ;;
    esac
}

_osm_help() {
    :
}

complete -o filenames -F _osm osm
