# Runs nncc's bash completion as readline would: complete.sh SCRIPT WORD...
# (the words as readline splits them, '=' apart, the last one being
# completed); prints the candidates, one per line, sorted.
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMPREPLY=()
_nncc
printf '%s\n' "${COMPREPLY[@]}" | sort
