#!/usr/bin/env bash
# Runs the whole test suite: build with zero warnings, then unit and integration tests.
# The integration tests run real rsync, sshd, rsync daemons and an FTP server (pure-ftpd, reached with lftp) on
# 127.0.0.1, logrotate on samples/, publish the native executable (clang, zlib1g-dev) and build, lint and install the
# Debian package (pandoc, lintian). When run as root on Debian/Ubuntu this script installs what is missing (servers
# installed, never started); otherwise it says what to install.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
[ -x /usr/sbin/logrotate ] || missing+=(logrotate)
# Nodes without rsync: lftp is the client inosync runs; pure-ftpd the FTP server the tests start (openssl hashes its password).
command -v lftp >/dev/null 2>&1 || missing+=(lftp)
[ -x /usr/sbin/pure-ftpd ] || missing+=(pure-ftpd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The native (NativeAOT) build the release ships, which a test publishes and runs.
command -v clang >/dev/null 2>&1 || missing+=(clang)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
# The Debian package a test builds (man pages from docs/ with pandoc), checks with lintian and installs.
command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
command -v lintian >/dev/null 2>&1 || missing+=(lintian)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}" >&2
    apt-get update -qq
    # Servers are installed, never started: the tests start their own on 127.0.0.1 (pure-ftpd's package would
    # otherwise listen on port 21 of every interface). policy-rc.d is the Debian way to say so.
    policy=/usr/sbin/policy-rc.d
    created_policy=no
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && created_policy=yes
    fi
    installed=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || installed=$?
    [ "$created_policy" = no ] || rm -f "$policy"
    [ "$installed" = 0 ] || exit "$installed"
  else
    echo "test.sh: the tests need: ${missing[*]} (install with: sudo apt-get install ${missing[*]})" >&2
    exit 69
  fi
fi

dotnet build inosync.sln -c Release -warnaserror -nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test inosync.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies (dotnet test prints one summary per assembly).
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
         if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit $status
