# fish completion for xfu. Codenames and versions come from
# `xfu __complete`, which reads the catalog the user has and never the network.
set -l commands list show devices device verify download inspect catalog

# The arguments after the command that are neither options nor their values.
function __xfu_args
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l command
    set -l args
    set -l skip 0
    for token in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $token
            case --catalog --ca-file --color --branch --type --region --android --since --until --limit --format --md5 --check -o --output --retries --timeout --limit-rate --mirror -c --connections
                set skip 1
            case --version
                test -n "$command"; and set skip 1
            case '-*'
            case '*'
                if test -z "$command"
                    set command $token
                else
                    set -a args $token
                end
        end
    end
    for arg in $args
        echo $arg
    end
end

# `--catalog SRC` as given on the command line: candidates must come from that catalog.
function __xfu_source
    set -l tokens (commandline -opc)
    set -l source
    set -l next 0
    for token in $tokens
        if test $next -eq 1
            set source --catalog $token
            set next 0
            continue
        end
        switch $token
            case --catalog
                set next 1
            case '--catalog=*'
                set source --catalog (string replace -- --catalog= '' $token)
        end
    end
    if set -q source[2]
        set source[2] (string replace -r -- '^~(?=/|$)' $HOME $source[2])
        printf '%s\n' $source
    end
end

function __xfu_arg_count
    test (count (__xfu_args)) -eq $argv[1]
end

function __xfu_codenames
    set -l xfu (commandline -opc)[1]
    $xfu (__xfu_source) __complete codenames (commandline -ct) 2>/dev/null
end

function __xfu_versions
    set -l xfu (commandline -opc)[1]
    $xfu (__xfu_source) __complete versions (__xfu_args)[1] (commandline -ct) 2>/dev/null
end

complete -c xfu -f
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -a list -d 'List ROM releases'
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -a show -d 'Show ROM cards'
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -a devices -d 'Find devices'
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -a device -d 'The phone on USB'
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -a verify -d 'Check files against their MD5'
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -a download -d 'Download one ROM'
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -a inspect -d 'What a package will do to a phone'
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -a catalog -d 'Catalog source and updates'

complete -c xfu -n "__fish_seen_subcommand_from list show download devices; and __xfu_arg_count 0" -a '(__xfu_codenames)'
complete -c xfu -n "__fish_seen_subcommand_from show download; and __xfu_arg_count 1" -k -a '(__xfu_versions)'
complete -c xfu -n "__fish_seen_subcommand_from catalog; and __xfu_arg_count 0" -a 'info update split check'
complete -c xfu -n "__fish_seen_subcommand_from verify inspect" -F

complete -c xfu -l catalog -r -F -d 'Catalog URL, file or builtin'
complete -c xfu -l offline -d 'Never touch the network'
complete -c xfu -l refresh -d 'Revalidate the cached catalog now'
complete -c xfu -l ca-file -r -F -d 'Trust these certificates'
complete -c xfu -l color -x -a 'auto always never' -d 'When to use colour'
complete -c xfu -l no-color -d 'No colour'
complete -c xfu -s h -l help -d 'Show help'
complete -c xfu -n "not __fish_seen_subcommand_from $commands" -l version -d 'Show versions'

set -l filtered "__fish_seen_subcommand_from list show download"
complete -c xfu -n $filtered -l branch -x -a 'stable stable-beta weekly public-beta' -d Branch
complete -c xfu -n $filtered -l type -x -a 'recovery fastboot' -d Type
complete -c xfu -n $filtered -l region -x -a 'china global eea india russia indonesia turkey taiwan japan korea' -d Region
complete -c xfu -n $filtered -l version -x -a '(__xfu_versions)' -d 'Version or prefix'
complete -c xfu -n $filtered -l android -x -d 'Android version'
complete -c xfu -n $filtered -l since -x -d 'Released on or after'
complete -c xfu -n $filtered -l until -x -d 'Released on or before'
complete -c xfu -n $filtered -l device -d "The connected phone's ROMs"
complete -c xfu -n "__fish_seen_subcommand_from list" -l latest -d 'Newest per variant, branch and type'
complete -c xfu -n "__fish_seen_subcommand_from list" -l limit -x -d 'At most N'
complete -c xfu -n "__fish_seen_subcommand_from list" -l format -x -a 'table tsv json cards' -d 'Output format'
complete -c xfu -n "__fish_seen_subcommand_from devices" -l format -x -a 'table tsv json' -d 'Output format'
complete -c xfu -n "__fish_seen_subcommand_from list" -l header -d 'TSV header line'
complete -c xfu -n "__fish_seen_subcommand_from list show devices device verify download inspect catalog" -l json -d 'JSON output'
complete -c xfu -n "__fish_seen_subcommand_from inspect" -l device -d 'Check against the connected phone'
complete -c xfu -n "__fish_seen_subcommand_from download" -l no-inspect -d 'Do not read the package as it arrives'
complete -c xfu -n "__fish_seen_subcommand_from verify" -l md5 -x -d 'Expected MD5'
complete -c xfu -n "__fish_seen_subcommand_from verify" -l check -r -F -d 'md5sum file'
complete -c xfu -n "__fish_seen_subcommand_from verify" -l print -d 'Print md5sum lines'
complete -c xfu -n "__fish_seen_subcommand_from verify" -l require-md5 -d 'Only a full MD5 passes'
complete -c xfu -n "__fish_seen_subcommand_from verify download" -s q -l quiet -d 'Only failures or errors'
complete -c xfu -n "__fish_seen_subcommand_from download" -s o -l output -x -a '(__fish_complete_directories)' -d 'Directory'
complete -c xfu -n "__fish_seen_subcommand_from download" -l dry-run -d 'Show what would be fetched'
complete -c xfu -n "__fish_seen_subcommand_from download" -l print-url -d 'Print the URL only'
complete -c xfu -n "__fish_seen_subcommand_from download" -l retries -x -d 'Retries per mirror'
complete -c xfu -n "__fish_seen_subcommand_from download" -l timeout -x -d 'Seconds without data'
complete -c xfu -n "__fish_seen_subcommand_from download" -s c -l connections -x -a '1 2 4 8 16' -d 'Connections at once'
complete -c xfu -n "__fish_seen_subcommand_from download" -l limit-rate -x -d 'Bytes per second'
complete -c xfu -n "__fish_seen_subcommand_from download" -l mirror -x -a 'bigota cdnorg hugeota bn aliyun' -d 'Mirror to try first'
complete -c xfu -n "__fish_seen_subcommand_from download" -l md5 -x -d 'Expected MD5'
complete -c xfu -n "__fish_seen_subcommand_from download" -l force -d 'Download again'
complete -c xfu -n "__fish_seen_subcommand_from download" -l require-md5 -d 'Refuse without a full MD5'
