#!/usr/bin/env bash
# Builds the man pages inosync(1) and inosync.toml(5) into OUTDIR with pandoc, from docs/: docs/man/*.md for
# what only a man page says (synopsis, options, environment, files), the rest from the same sections of
# docs/operations.md (signals, exit codes) and docs/configuration.md (every key) that the documentation shows.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: packaging/man/build.sh OUTDIR}
command -v pandoc >/dev/null 2>&1 || { echo "packaging/man/build.sh: needs pandoc (apt-get install pandoc)" >&2; exit 69; }
version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' "$repo/Directory.Build.props")
mkdir -p "$out"

# One "## Title" section of a document, up to the next "## ", each heading one level up (## is a man section).
section() { awk -v t="## $2" '$0 == t { p = 1; print; next } p && /^## / { exit } p' "$repo/docs/$1" | sed -E 's/^#(#+) /\1 /'; }
# A document from its "## Title" section to the end, headings one level up.
from() { awk -v t="## $2" '$0 == t { p = 1 } p' "$repo/docs/$1" | sed -E 's/^#(#+) /\1 /'; }

{
  cat "$repo/docs/man/inosync.1.md"
  section operations.md "Signals"
  echo
  section operations.md "Exit codes" | sed 's/^# Exit codes$/# EXIT STATUS/'
  printf '\n# SEE ALSO\n\n**inosync.toml**(5), **rsync**(1), **inotify**(7), **systemd.service**(5)\n'
} | pandoc --standalone --from markdown --to man --lua-filter "$repo/packaging/man/tables.lua" --metadata footer="inosync $version" --output "$out/inosync.1"

{
  cat "$repo/docs/man/inosync.toml.5.md"
  from configuration.md "Keys at a glance"
  printf '\n# SEE ALSO\n\n**inosync**(1), **rsync**(1)\n'
} | pandoc --standalone --from markdown --to man --lua-filter "$repo/packaging/man/tables.lua" --metadata footer="inosync $version" --output "$out/inosync.toml.5"
