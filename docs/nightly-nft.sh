#!/bin/sh
# nightly-nft.sh: fetch this week's Service Tags file and apply what changed to nftables sets,
# once. Meant for cron or a systemd timer; see "Nightly job" in README.md.
#
# Each run:
#   1. `stag fetch --json` stores the newest file (or finds it stored). Its exit status says
#      whether a valid file is in place (0) or not (2: network error, truncated or malformed
#      download, rollback); its "downloaded" field says whether this run stored a new file.
#   2. The state file names the file last applied (name, SHA-256) and the selection. If that is
#      the file now stored, with the same selection, nothing is applied: a rerun never re-applies.
#   3. Otherwise `stag diff APPLIED NEW --format nft` gives the delta, loaded with one `nft -f`
#      (one transaction). On the first run ever, or when the applied file is no longer stored
#      intact, or the selection changed, the diff starts from an empty file: each tag's full list.
#   4. Only after nft succeeded is the state file replaced (written aside, then renamed).
#   A failure anywhere leaves the state as it was, so the next run retries the same change.
#
# Settings (environment):
#   NIGHTLY_TAGS    required: tag names or shell-style globs, separated by spaces
#                   ("AzureCloud.westeurope Storage.WestEurope"); each tag gets its own sets, named
#                   as 'stag export TAG --format nft' names them (table inet azst)
#   NIGHTLY_NAME    optional: --name: the selected tags become one union, in the sets NAME_v4 and
#                   NAME_v6, exactly as 'stag export TAGS... --name NAME --format nft' writes them
#   NIGHTLY_CLOUD   public (default), usgov or china
#   NIGHTLY_STATE   state file (default ${XDG_STATE_HOME:-$HOME/.local/state}/stag/nightly-nft.state)
#   NIGHTLY_PAGE    optional: a mirror page to search for the file (stag fetch --page)
#   NIGHTLY_URL     optional: the file itself (stag fetch --url)
#   STAG            the stag executable (default: stag on PATH; stag-fetch must sit beside it)
#   STAG_CACHE_DIR  the fetch cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/stag)
#   NFT             the nft executable (default: nft on PATH)
#
# Needs, besides stag and nft: sed, mktemp, sha256sum (coreutils).
#
# Output: one line on stdout, "applied ..." or "nothing to apply ..."; errors on stderr.
# Exit status: 0 nothing to apply, or the change was applied; 2 error (nothing applied, state
# unchanged).
#
# The kernel's sets are not read back: after a reboot (empty sets) remove the state file, and the
# next run loads the full lists.
set -eu

me=nightly-nft
fail() { printf '%s: %s\n' "$me" "$1" >&2; exit 2; }

STAG=${STAG:-stag}
NFT=${NFT:-nft}
cloud=${NIGHTLY_CLOUD:-public}
cache=${STAG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/stag}
state=${NIGHTLY_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/stag/nightly-nft.state}
[ -n "${NIGHTLY_TAGS:-}" ] || fail "NIGHTLY_TAGS is empty: name the tags to keep in nftables"

# 1. Fetch. The positional parameters carry the arguments, so no value is ever re-parsed as shell.
set -- fetch --cloud "$cloud" --dir "$cache" --json
[ -z "${NIGHTLY_PAGE:-}" ] || set -- "$@" --page "$NIGHTLY_PAGE"
[ -z "${NIGHTLY_URL:-}" ] || set -- "$@" --url "$NIGHTLY_URL"
fetched=$("$STAG" "$@") || fail "stag fetch failed (see above); nothing applied"

# The JSON is one line, {"file",...,"sha256":...,"downloaded":BOOL}. Only fields whose values
# cannot hold a quote are read: the file's name (strict ServiceTags_<Cloud>_YYYYMMDD.json), the
# cloud, the SHA-256 and the flag. A pattern that does not match is an error, never a guess.
field() { printf '%s\n' "$fetched" | sed -n "$1"; }
name=$(field 's/.*[/"]\(ServiceTags_[A-Za-z]*_[0-9]\{8\}\.json\)","cloud":"\([A-Za-z]*\)".*/\1/p')
fileCloud=$(field 's/.*","cloud":"\([A-Za-z]*\)",.*/\1/p')
sha=$(field 's/.*"sha256":"\([0-9a-f]\{64\}\)".*/\1/p')
downloaded=$(field 's/.*"downloaded":true}$/true/p; s/.*"downloaded":false}$/false/p')
[ -n "$name" ] && [ -n "$fileCloud" ] && [ -n "$sha" ] && [ -n "$downloaded" ] ||
    fail "cannot read the output of stag fetch --json: $fetched"
new=$cache/$name

# The selection, as one line: a change of tags or name needs the full lists.
selection=$(printf "tags=%s name=%s" "$NIGHTLY_TAGS" "${NIGHTLY_NAME:-}" | tr "\n\t\r" "   ")

# 2. What was applied last. A state file that exists but cannot be read is an error, not a reset.
appliedName= appliedSha= appliedSelection=
if [ -e "$state" ]; then
    appliedName=$(sed -n 's/^file=\(ServiceTags_[A-Za-z]*_[0-9]\{8\}\.json\)$/\1/p' "$state")
    appliedSha=$(sed -n 's/^sha256=\([0-9a-f]\{64\}\)$/\1/p' "$state")
    appliedSelection=$(sed -n 's/^selection=//p' "$state")
    [ -n "$appliedName" ] && [ -n "$appliedSha" ] || fail "unreadable state file $state (remove it to reload the full lists)"
fi
if [ "$appliedName" = "$name" ] && [ "$appliedSha" = "$sha" ] && [ "$appliedSelection" = "$selection" ]; then
    printf 'nothing to apply: %s is applied already (downloaded: %s)\n' "$name" "$downloaded"
    exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/$me.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM

# 3. The delta from the applied file, or from an empty file (the full lists).
old=$cache/$appliedName
if [ -z "$appliedName" ] || [ "$appliedSelection" != "$selection" ] || [ ! -f "$old" ] ||
   [ "$(sha256sum < "$old" | cut -d ' ' -f 1)" != "$appliedSha" ]; then
    old=$work/empty.json
    printf '{"changeNumber": 0, "cloud": "%s", "values": []}\n' "$fileCloud" > "$old"
    from="the full lists"
else
    from="the delta from $appliedName"
fi
set -f  # globs in NIGHTLY_TAGS go to stag, not to the shell
set -- diff "$old" "$new" --format nft -o "$work/delta.nft"
for tag in $NIGHTLY_TAGS; do set -- "$@" --tag "$tag"; done
set +f
[ -z "${NIGHTLY_NAME:-}" ] || set -- "$@" --name "$NIGHTLY_NAME"
status=0
"$STAG" "$@" || status=$?
case $status in
    0) from="nothing (no selected set changes)" ;;
    1) "$NFT" -f "$work/delta.nft" || fail "nft -f failed; state unchanged, the next run retries" ;;
    *) fail "stag diff failed (status $status); nothing applied" ;;
esac

# 4. Record what is applied: written aside, then renamed over the old state.
mkdir -p "$(dirname "$state")"
printf 'file=%s\nsha256=%s\nselection=%s\n' "$name" "$sha" "$selection" > "$state.tmp.$$"
mv -f "$state.tmp.$$" "$state"
printf 'applied %s: %s (downloaded: %s)\n' "$name" "$from" "$downloaded"
