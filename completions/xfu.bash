# bash completion for xfu. Codenames and versions come from
# `xfu __complete`, which reads the catalog the user has and never the network.

# A word as the shell will pass it: without surrounding quotes, with ~ expanded.
_xfu_unquote() {
  local word=$1
  if [[ $word == \"*\" || $word == \'*\' ]]; then
    word=${word:1:${#word}-2}
  else
    # Unquoted, a backslash escapes the next character (what bash's own file completion writes).
    local plain="" i
    for ((i = 0; i < ${#word}; i++)); do
      [[ ${word:i:1} == \\ ]] && ((i++))
      plain+=${word:i:1}
    done
    word=$plain
  fi
  [[ $word == "~" || $word == "~/"* ]] && word=$HOME${word:1}
  printf '%s' "$word"
}

_xfu() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion -n = || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi
  local xfu=${words[0]}
  local global="--catalog --offline --refresh --ca-file --color --no-color --help --version"
  local filters="--branch --type --region --version --android --since --until"

  # The command, the arguments after it that are not options, and the catalog
  # named on the command line (candidates must come from the same catalog).
  local command="" i word
  local -a args=() source=()
  for ((i = 1; i < cword; i++)); do
    word=${words[i]}
    case $word in
      --catalog)
        # Without bash-completion, "--catalog=FILE" arrives as three words.
        [[ ${words[i + 1]} == = ]] && ((i++))
        ((i + 1 < cword)) && source=(--catalog "$(_xfu_unquote "${words[i + 1]}")")
        ((i++)); continue ;;
      --catalog=*) source=(--catalog "$(_xfu_unquote "${word#--catalog=}")"); continue ;;
      --ca-file|--color|--branch|--type|--region|--android|--since|--until|--limit|--format|--md5|--check|-o|--output|--retries|--timeout|--limit-rate|--mirror|-c|--connections)
        ((i++)); continue ;;
      --version) [[ -n $command ]] && ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ -z $command ]]; then command=$word; else args+=("$word"); fi
  done

  case $prev in
    --branch) COMPREPLY=($(compgen -W "stable stable-beta weekly public-beta" -- "$cur")); return ;;
    --type) COMPREPLY=($(compgen -W "recovery fastboot" -- "$cur")); return ;;
    --region) COMPREPLY=($(compgen -W "china global eea india russia indonesia turkey taiwan japan korea" -- "$cur")); return ;;
    --format)
      if [[ $command == list ]]; then COMPREPLY=($(compgen -W "table tsv json cards" -- "$cur"))
      else COMPREPLY=($(compgen -W "table tsv json" -- "$cur")); fi
      return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --mirror) COMPREPLY=($(compgen -W "bigota cdnorg hugeota bn aliyun" -- "$cur")); return ;;
    --catalog) COMPREPLY=($(compgen -f -W "builtin" -- "$cur")); return ;;
    --ca-file|--check) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --version)
      if [[ -n $command && ${#args[@]} -gt 0 ]]; then
        COMPREPLY=($(compgen -W "$("$xfu" "${source[@]}" __complete versions "${args[0]}" "$cur" 2>/dev/null)" -- "$cur"))
      fi
      return ;;
    --md5|--android|--since|--until|--limit|--retries|--timeout|--limit-rate) return ;;
    -c|--connections) COMPREPLY=($(compgen -W "1 2 4 8 16" -- "$cur")); return ;;
  esac

  if [[ $cur != -* ]]; then
    case $command:${#args[@]} in
      list:0|show:0|download:0|devices:0)
        COMPREPLY=($(compgen -W "$("$xfu" "${source[@]}" __complete codenames "$cur" 2>/dev/null)" -- "$cur")); return ;;
      show:1|download:1)
        COMPREPLY=($(compgen -W "$("$xfu" "${source[@]}" __complete versions "${args[0]}" "$cur" 2>/dev/null)" -- "$cur")); return ;;
      verify:*|inspect:*) COMPREPLY=($(compgen -f -- "$cur")); return ;;
      catalog:0) COMPREPLY=($(compgen -W "info update split check" -- "$cur")); return ;;
      catalog:*) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
  fi
  case $command in
    "") COMPREPLY=($(compgen -W "list show devices device verify download inspect catalog $global" -- "$cur")) ;;
    list) COMPREPLY=($(compgen -W "$filters --device --latest --limit --format --json --header $global" -- "$cur")) ;;
    show) COMPREPLY=($(compgen -W "$filters --device --json $global" -- "$cur")) ;;
    devices) COMPREPLY=($(compgen -W "--format --json $global" -- "$cur")) ;;
    device) COMPREPLY=($(compgen -W "--json $global" -- "$cur")) ;;
    verify) COMPREPLY=($(compgen -W "--md5 --check --print --json --quiet -q --require-md5 $global" -- "$cur")) ;;
    download) COMPREPLY=($(compgen -W "$filters --device -o --output --dry-run --json --print-url --retries --timeout -c --connections --limit-rate --mirror --md5 --force --require-md5 --no-inspect --quiet -q $global" -- "$cur")) ;;
    inspect) COMPREPLY=($(compgen -W "--json --device $global" -- "$cur")) ;;
    catalog) COMPREPLY=($(compgen -W "info update --json $global" -- "$cur")) ;;
  esac
}
complete -F _xfu xfu
