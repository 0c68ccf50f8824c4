function __osm_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __osm_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __osm_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __osm_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __osm_parse_tokens -S
    set -l unparsed_tokens (__osm_tokens -pc)
    switch $unparsed_tokens[1]
    case 'osm'
        __osm_parse_subcommand 0 'h/help'
        switch $unparsed_tokens[1]
        case 'install'
            __osm_parse_subcommand 0 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'mesh-name=' 'container-registry=' 'container-registry-secret=' 'osm-image-tag=' 'osm-image-pull-policy=' 'osm-chart-path=' 'certificate-manager=' 'vault-host=' 'vault-protocol=' 'vault-token=' 'vault-role=' 'cert-manager-issuer-name=' 'cert-manager-issuer-kind=' 'cert-manager-issuer-group=' 'service-cert-validity-duration=' 'prometheus-retention-time=' 'envoy-log-level=' 'enable-debug-server=' 'enable-permissive-traffic-policy=' 'enable-egress=' 'deploy-prometheus=' 'enable-prometheus-scraping=' 'deploy-grafana=' 'enable-fluentbit=' 'deploy-jaeger=' 'enforce-single-mesh=' 'timeout=' 'atomic=' 'resume=' 'set=' 'dry-run=' 'o/output=' 'h/help'
        case 'mesh'
            __osm_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'upgrade'
                __osm_parse_subcommand 0 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'mesh-name=' 'osm-chart-path=' 'container-registry=' 'osm-image-tag=' 'enable-permissive-traffic-policy=' 'enable-egress=' 'enable-debug-server=' 'envoy-log-level=' 'enable-prometheus-scraping=' 'use-https-ingress=' 'service-cert-validity-duration=' 'enable-tracing=' 'tracing-address=' 'tracing-port=' 'tracing-endpoint=' 'outbound-ip-range-exclusion-list=' 'enable-privileged-init-container=' 'dry-run=' 'h/help'
            case 'list'
                __osm_parse_subcommand 0 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'o/output=' 'h/help'
            case 'uninstall'
                __osm_parse_subcommand 0 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'mesh-name=' 'f/force=' 'h/help'
            end
        case 'namespace'
            __osm_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'add'
                __osm_parse_subcommand -r 1 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'mesh-name=' 'disable-sidecar-injection=' 'h/help'
            case 'remove'
                __osm_parse_subcommand 1 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'mesh-name=' 'h/help'
            case 'list'
                __osm_parse_subcommand 1 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'o/output=' 'mesh-name=' 'h/help'
            case 'ignore'
                __osm_parse_subcommand -r 1 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'h/help'
            end
        case 'proxy'
            __osm_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'get'
                __osm_parse_subcommand 2 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'n/namespace=' 'f/file=' 'p/local-port=' 'h/help'
            end
        case 'dashboard'
            __osm_parse_subcommand 0 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'p/local-port=' 'r/remote-port=' 'b/open-browser=' 'h/help'
        case 'verify'
            __osm_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'connectivity'
                __osm_parse_subcommand 0 'from-pod=' 'from-namespace=' 'to-ext-host=' 'to-ext-port=' 'app-protocol=' 'mesh-name=' 'wait=' 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'h/help'
            case 'control-plane'
                __osm_parse_subcommand 0 'mesh-name=' 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'h/help'
            end
        case 'metrics'
            __osm_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'enable'
                __osm_parse_subcommand 0 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'namespace=' 'h/help'
            case 'disable'
                __osm_parse_subcommand 0 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'namespace=' 'h/help'
            end
        case 'policy'
            __osm_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'check-pods'
                __osm_parse_subcommand 2 'osm-namespace=' 'kubeconfig=' 'context=' 'request-timeout=' 'v/v=' 'h/help'
            end
        case 'version'
            __osm_parse_subcommand 0 'o/output=' 'h/help'
        case 'env'
            __osm_parse_subcommand 0 'osm-namespace=' 'h/help'
        case 'completion'
            __osm_parse_subcommand 1 'h/help'
        case 'help'
            __osm_parse_subcommand -r 1 
        end
    end
end

function __osm_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __osm_parse_subcommand -S -a positional_count
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

function __osm_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __osm_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__osm_tokens -p)
    if test -z "$(__osm_tokens -t)"
        set -l index (count (__osm_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'osm' -f
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'install' -d 'Install an OSM control plane.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'mesh' -d 'Manage OSM control planes.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'namespace' -d 'Manage the namespaces of a mesh.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'proxy' -d 'Sidecar proxy operations.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'dashboard' -d 'Open grafana dashboard through ssh redirection.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'verify' -d 'Verify mesh configurations.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'metrics' -d 'Manage metrics scraping of mesh namespaces.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'policy' -d 'Check the mesh\'s traffic policies.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'version' -d 'Print the version of this osm binary.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'env' -d 'Print the environment settings osm uses.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'completion' -d 'Print a shell completion script.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" mesh-name' -l 'mesh-name' -d 'Name of the new control plane, unique in the cluster (default: osm)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" container-registry' -l 'container-registry' -d 'Container registry that hosts the control plane images (default: openservicemesh)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" container-registry-secret' -l 'container-registry-secret' -d 'Name of the Kubernetes Secret with the registry\'s credentials, created if missing (default: none)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" osm-image-tag' -l 'osm-image-tag' -d 'Tag of the control plane images (default: v0.8.4)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" osm-image-pull-policy' -l 'osm-image-pull-policy' -d 'Pull policy of the control plane images (default: IfNotPresent)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" osm-chart-path' -l 'osm-chart-path' -d 'Not supported: this osm renders the built-in v0.8.4 chart without Helm; use --set for chart values' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" certificate-manager' -l 'certificate-manager' -d 'Certificate manager: tresor, vault or cert-manager (default: tresor)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" vault-host' -l 'vault-host' -d 'Host of the Hashicorp Vault service (default: none; needed with vault)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" vault-protocol' -l 'vault-protocol' -d 'Protocol to reach Vault (default: http)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" vault-token' -l 'vault-token' -d 'Token to authenticate to Vault (default: none; needed with vault)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" vault-role' -l 'vault-role' -d 'Vault role used by the mesh (default: openservicemesh)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" cert-manager-issuer-name' -l 'cert-manager-issuer-name' -d 'cert-manager issuer name (default: osm-ca)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" cert-manager-issuer-kind' -l 'cert-manager-issuer-kind' -d 'cert-manager issuer kind (default: Issuer)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" cert-manager-issuer-group' -l 'cert-manager-issuer-group' -d 'cert-manager issuer group (default: cert-manager.io)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" service-cert-validity-duration' -l 'service-cert-validity-duration' -d 'Validity of service certificates, a Go duration such as 24h or 1h30m (default: 24h)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" prometheus-retention-time' -l 'prometheus-retention-time' -d 'How long Prometheus keeps its data (default: 15d)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" envoy-log-level' -l 'envoy-log-level' -d 'Envoy log level: trace, debug, info, warning, warn, error, critical or off (default: error)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" enable-debug-server' -l 'enable-debug-server' -d 'Run the debug HTTP server (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" enable-permissive-traffic-policy' -l 'enable-permissive-traffic-policy' -d 'Allow traffic between all services in the mesh, without SMI policies (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" enable-egress' -l 'enable-egress' -d 'Let the mesh\'s pods reach destinations outside the mesh (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" deploy-prometheus' -l 'deploy-prometheus' -d 'Deploy Prometheus (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" enable-prometheus-scraping' -l 'enable-prometheus-scraping' -d 'Let Prometheus scrape the sidecar proxies\' metrics (default: true)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" deploy-grafana' -l 'deploy-grafana' -d 'Deploy Grafana (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" enable-fluentbit' -l 'enable-fluentbit' -d 'Deploy a Fluent Bit sidecar with the controller (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" deploy-jaeger' -l 'deploy-jaeger' -d 'Deploy Jaeger in the control plane namespace (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" enforce-single-mesh' -l 'enforce-single-mesh' -d 'Refuse any other mesh in this cluster (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" timeout' -l 'timeout' -d 'How long to wait for the control plane to be ready, a Go duration; 0 waits as long as it takes (default: 5m0s)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" atomic' -l 'atomic' -d 'Remove what this run created if the install fails or is interrupted (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" resume' -l 'resume' -d 'Finish a partial install of this mesh (same flags): create only the objects that are missing (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" set' -l 'set' -d 'Chart values no flag covers: key=value, several separated by commas; repeatable (e.g. OpenServiceMesh.osmcontroller.resource.limits.cpu=2)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" dry-run' -l 'dry-run' -d 'Print the objects that would be created instead of creating them (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" o output' -s 'o' -l 'output' -d 'Format of --dry-run\'s output: yaml or json (default: yaml)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm install" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm mesh" -eq 1' -fa 'upgrade' -d 'Change the configuration of an OSM control plane.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm mesh" -eq 1' -fa 'list' -d 'List the OSM control planes in the cluster.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm mesh" -eq 1' -fa 'uninstall' -d 'Uninstall an OSM control plane.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" mesh-name' -l 'mesh-name' -d 'Name of the mesh to upgrade (default: osm)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" osm-chart-path' -l 'osm-chart-path' -d 'Not supported: this osm renders the built-in v0.8.4 chart without Helm' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" container-registry' -l 'container-registry' -d 'Container registry that hosts the control plane images (default: openservicemesh)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" osm-image-tag' -l 'osm-image-tag' -d 'Tag of the control plane images (default: v0.8.4)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" enable-permissive-traffic-policy' -l 'enable-permissive-traffic-policy' -d 'Allow traffic between all services in the mesh, without SMI policies (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" enable-egress' -l 'enable-egress' -d 'Let the mesh\'s pods reach destinations outside the mesh (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" enable-debug-server' -l 'enable-debug-server' -d 'Run the debug HTTP server (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" envoy-log-level' -l 'envoy-log-level' -d 'Envoy log level: trace, debug, info, warning, warn, error, critical or off (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" enable-prometheus-scraping' -l 'enable-prometheus-scraping' -d 'Let Prometheus scrape the sidecar proxies\' metrics (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" use-https-ingress' -l 'use-https-ingress' -d 'Use HTTPS between ingress and the mesh\'s services (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" service-cert-validity-duration' -l 'service-cert-validity-duration' -d 'Validity of service certificates, a Go duration such as 24h or 1h30m (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" enable-tracing' -l 'enable-tracing' -d 'Send traces to a tracing server (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" tracing-address' -l 'tracing-address' -d 'Host name of the tracing server (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" tracing-port' -l 'tracing-port' -d 'Port of the tracing server (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" tracing-endpoint' -l 'tracing-endpoint' -d 'Path of the tracing server\'s endpoint (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" outbound-ip-range-exclusion-list' -l 'outbound-ip-range-exclusion-list' -d 'IP ranges (a.b.c.d/x) whose outbound traffic the sidecars do not intercept; repeatable or comma-separated (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" enable-privileged-init-container' -l 'enable-privileged-init-container' -d 'Run the sidecars\' init container privileged (default: unchanged)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" dry-run' -l 'dry-run' -d 'Print each setting\'s old and new value and change nothing (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh upgrade" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh list" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh list" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh list" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh list" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh list" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh list" o output' -s 'o' -l 'output' -d 'Output format: text, wide, json or yaml (default: text)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh uninstall" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh uninstall" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh uninstall" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh uninstall" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh uninstall" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh uninstall" mesh-name' -l 'mesh-name' -d 'Name of the mesh to uninstall (default: osm)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh uninstall" f force' -s 'f' -l 'force' -d 'Do not ask for confirmation, and succeed if there is no such control plane (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm mesh uninstall" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm namespace" -eq 1' -fa 'add' -d 'Add namespaces to a mesh.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm namespace" -eq 1' -fa 'remove' -d 'Remove a namespace from a mesh.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm namespace" -eq 1' -fa 'list' -d 'List the namespaces in meshes.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm namespace" -eq 1' -fa 'ignore' -d 'Keep namespaces out of every mesh.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace add" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace add" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace add" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace add" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace add" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace add" mesh-name' -l 'mesh-name' -d 'Name of the mesh (default: osm)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace add" disable-sidecar-injection' -l 'disable-sidecar-injection' -d 'Do not inject sidecars into the namespaces\' pods (default: false)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace remove" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace remove" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace remove" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace remove" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace remove" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace remove" mesh-name' -l 'mesh-name' -d 'Name of the mesh (default: osm)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace list" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace list" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace list" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace list" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace list" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace list" o output' -s 'o' -l 'output' -d 'Output format: text, json or yaml (default: text)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace list" mesh-name' -l 'mesh-name' -d 'Name of the mesh whose namespaces to list (default: all meshes)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace ignore" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace ignore" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace ignore" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace ignore" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace ignore" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm namespace ignore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm proxy" -eq 1' -fa 'get' -d 'Get query for proxy.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" n namespace' -s 'n' -l 'namespace' -d 'Namespace of pod (default: default)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" f file' -s 'f' -l 'file' -d 'File to write output to (default: stdout)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" local-port p' -s 'p' -l 'local-port' -d 'Local port to use for port forwarding (accepted for compatibility: no local port is bound) (default: 15000)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm proxy get" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" local-port p' -s 'p' -l 'local-port' -d 'Local port to use (default: 3000)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" r remote-port' -s 'r' -l 'remote-port' -d 'Remote port on Grafana (default: 3000)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" b open-browser' -s 'b' -l 'open-browser' -d 'Triggers browser open (default: true)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm dashboard" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm verify" -eq 1' -fa 'connectivity' -d 'Verify connectivity between a pod and an external destination.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm verify" -eq 1' -fa 'control-plane' -d 'Verify the health of the OSM control plane.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" from-pod' -l 'from-pod' -d 'Namespaced name of the client pod: <namespace>/<name>' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" from-namespace' -l 'from-namespace' -d 'Check every pod with an Envoy sidecar in this namespace (at most 8 at once)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" to-ext-host' -l 'to-ext-host' -d 'External hostname or IP address' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" to-ext-port' -l 'to-ext-port' -d 'External port (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" app-protocol' -l 'app-protocol' -d 'Application protocol: http, https or tcp (v0.8 passes each through the same egress chain) (default: http)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" mesh-name' -l 'mesh-name' -d 'Name of the mesh (default: osm)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" wait' -l 'wait' -d 'Poll until every checked sidecar agrees with osm-config, for at most this long (Go duration); progress on stderr (default: no waiting)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify connectivity" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify control-plane" mesh-name' -l 'mesh-name' -d 'Name of the mesh (default: the meshName label of the namespace\'s osm-controller)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify control-plane" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify control-plane" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify control-plane" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify control-plane" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify control-plane" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm verify control-plane" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm metrics" -eq 1' -fa 'enable' -d 'Enable metrics scraping in namespaces.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm metrics" -eq 1' -fa 'disable' -d 'Disable metrics scraping in namespaces.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics enable" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics enable" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics enable" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics enable" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics enable" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics enable" namespace' -l 'namespace' -d 'Namespaces, comma-separated or repeated' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics enable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics disable" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics disable" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics disable" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics disable" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics disable" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics disable" namespace' -l 'namespace' -d 'Namespaces, comma-separated or repeated' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm metrics disable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm policy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm policy" -eq 1' -fa 'check-pods' -d 'Check whether one pod may send traffic to another.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm policy check-pods" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm policy check-pods" kubeconfig' -l 'kubeconfig' -d 'Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)' -rF
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm policy check-pods" context' -l 'context' -d 'Name of the kubeconfig context to use (default: the current context)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm policy check-pods" request-timeout' -l 'request-timeout' -d 'How long to wait for one request to the API server (and for an exec credential plugin): a Go duration (1m30s) or plain seconds; 0 waits as long as it takes (default: 30s per request, 1m0s for a credential plugin)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm policy check-pods" v v' -s 'v' -l 'v' -d 'Request log verbosity on stderr, kubectl\'s levels: 6 requests, 7 request headers, 8 bodies (default: 0)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm policy check-pods" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm version" o output' -s 'o' -l 'output' -d 'Output format: text, json or yaml (default: text)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm version" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm env" osm-namespace' -l 'osm-namespace' -d 'Namespace of the OSM control plane; empty: the kubeconfig context\'s namespace (default: $OSM_NAMESPACE if set, else osm-system)' -rfka ''
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm env" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'osm' -n '__osm_should_offer_completions_for_positional "osm completion" -eq 1' -fka 'bash zsh fish'
complete -c 'osm' -n '__osm_should_offer_completions_for_flags_or_options "osm completion" h help' -s 'h' -l 'help' -d 'Show help information.'
