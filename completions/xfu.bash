# bash completion for xfu
_xfu() {
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  }
  local global="--catalog --offline --refresh --ca-file --no-color --help --version"
  local filters="--branch --type --region --version --android --since --until"
  case $prev in
    --branch) COMPREPLY=($(compgen -W "stable stable-beta weekly public-beta" -- "$cur")); return ;;
    --type) COMPREPLY=($(compgen -W "recovery fastboot" -- "$cur")); return ;;
    --region) COMPREPLY=($(compgen -W "china global eea india russia indonesia turkey taiwan japan korea" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "table tsv json cards" -- "$cur")); return ;;
    --catalog) COMPREPLY=($(compgen -f -W "builtin" -- "$cur")); return ;;
    --ca-file|--check) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --mirror) COMPREPLY=($(compgen -W "bigota cdnorg hugeota bn aliyun" -- "$cur")); return ;;
    --md5|--version|--android|--since|--until|--limit|--retries|--timeout|--limit-rate) return ;;
  esac
  local command="" i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      list|show|devices|verify|download|catalog) command=${words[i]}; break ;;
    esac
  done
  case $command in
    "") COMPREPLY=($(compgen -W "list show devices verify download catalog $global" -- "$cur")) ;;
    list) COMPREPLY=($(compgen -W "$filters --latest --limit --format --json --header $global" -- "$cur")) ;;
    show) COMPREPLY=($(compgen -W "$filters --json $global" -- "$cur")) ;;
    devices) COMPREPLY=($(compgen -W "--format --json $global" -- "$cur")) ;;
    verify)
      if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--md5 --check --print --json --quiet -q $global" -- "$cur"))
      else
        COMPREPLY=($(compgen -f -- "$cur"))
      fi ;;
    download) COMPREPLY=($(compgen -W "$filters -o --output --dry-run --json --print-url --retries --timeout --limit-rate --mirror --md5 --force --require-md5 --quiet -q $global" -- "$cur")) ;;
    catalog) COMPREPLY=($(compgen -W "info update --json $global" -- "$cur")) ;;
  esac
}
complete -F _xfu xfu
