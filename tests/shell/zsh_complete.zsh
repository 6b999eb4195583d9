#!/usr/bin/env zsh
# Prints, one per line, the candidates zsh's completion offers for a command
# line, by driving a real interactive zsh in a pseudo-terminal.
#   zsh -f zsh_complete.zsh FPATH_DIR OUTPUT_FILE 'xfu show dip'
# The completion functions are loaded from FPATH_DIR; `xfu` must be on PATH.
zmodload zsh/zpty || exit 2
local fpath_dir=$1 output=$2 line=$3
: > $output
zpty xfu_session zsh -f -i
zpty -w xfu_session "PROMPT='' RPROMPT=''; fpath=(${(q)fpath_dir} \$fpath); autoload -U compinit; compinit -u -D"
# Record every match offered to compadd, then let it do its work.
zpty -w xfu_session 'compadd() { if (( ${@[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi; local -a found; builtin compadd -O found "$@"; (( ${#found} )) && print -rl -- $found >> '${(q)output}'; builtin compadd "$@"; }'
zpty -w xfu_session "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no; LISTMAX=10000"
zpty -n -w xfu_session "$line"$'\t'
local waited=0
while (( waited < 50 )); do
  sleep 0.1
  (( waited++ ))
  [[ -s $output ]] && (( waited > 5 )) && break
done
zpty -d xfu_session
sort -u $output
