#!/usr/bin/env bash
# Builds inosync_VERSION_amd64.deb with dpkg-deb: the native executable, the systemd units, the example
# configuration (a conffile), the logrotate snippet, the man pages and the copyright with the third-party notices.
#
#   packaging/deb/build.sh [--publish DIR] [OUTDIR]
#
# --publish DIR takes an existing `dotnet publish src/Inosync -c Release -r linux-x64` (a CI artifact) instead of
# publishing; OUTDIR defaults to artifacts/deb. Needs the .NET SDK with clang and zlib1g-dev (to publish), pandoc
# (the man pages) and dpkg-deb. The package neither enables nor starts the service.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
publish=
if [ "${1:-}" = --publish ]; then
  publish=${2:?--publish needs a directory}
  shift 2
fi
out=${1:-$repo/artifacts/deb}
version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' "$repo/Directory.Build.props")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "$publish" ]; then
  publish="$work/publish"
  dotnet publish "$repo/src/Inosync" -c Release -r linux-x64 -o "$publish" -nologo -v quiet
fi

root="$work/root"
doc="$root/usr/share/doc/inosync"
install -D -m 0755 "$publish/inosync" "$root/usr/bin/inosync"

# The units: the sample's, for the packaged binary; the template runs one configuration per instance.
unit() {
  printf '# Installed by the inosync package. See man inosync and /usr/share/doc/inosync/README.md.\n'
  sed -n '/^\[Unit\]/,$p' "$repo/samples/inosync.service" | sed 's|/usr/local/bin/inosync|/usr/bin/inosync|g'
}
install -d "$root/lib/systemd/system"
unit > "$root/lib/systemd/system/inosync.service"
unit | sed -e 's|/etc/inosync/sync.toml|/etc/inosync/%i.toml|g' -e 's|^Description=inosync:|Description=inosync (%i):|' \
  > "$root/lib/systemd/system/inosync@.service"
chmod 0644 "$root/lib/systemd/system/"*

install -D -m 0644 "$repo/packaging/deb/sync.toml" "$root/etc/inosync/sync.toml"
install -D -m 0644 "$repo/samples/inosync.logrotate" "$root/etc/logrotate.d/inosync"
install -d -m 0755 "$root/var/lib/inosync/example/source" "$root/var/lib/inosync/example/mirror"

"$repo/packaging/man/build.sh" "$work/man"
install -D -m 0644 "$work/man/inosync.1" "$root/usr/share/man/man1/inosync.1"
install -D -m 0644 "$work/man/inosync.toml.5" "$root/usr/share/man/man5/inosync.toml.5"
gzip -9n "$root/usr/share/man/man1/inosync.1" "$root/usr/share/man/man5/inosync.toml.5"

install -D -m 0644 "$repo/README.md" "$doc/README.md"
install -D -m 0644 "$repo/samples/sync.toml" "$doc/examples/sync.toml"
{
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
  printf 'Upstream-Name: inosync\n\nFiles: *\nCopyright: the inosync developers\nLicense: MIT\n'
  sed -e 's/^$/./' -e 's/^/ /' "$repo/LICENSE"
  printf '\nComment: the executable contains the .NET runtime and these libraries; their notices follow.\n'
  sed -e 's/^$/./' -e 's/^/ /' "$publish/THIRD-PARTY-NOTICES.md"
} > "$doc/copyright"
{
  printf 'inosync (%s) unstable; urgency=medium\n\n  * Built from the inosync sources.\n\n' "$version"
  printf ' -- inosync maintainers <maintainers@inosync.example.org>  %s\n' "$(date -R -u -d @"${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/copyright" "$doc/changelog.gz"

install -d "$root/DEBIAN"
printf '/etc/inosync/sync.toml\n/etc/logrotate.d/inosync\n' > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/control" <<CONTROL
Package: inosync
Version: $version
Architecture: amd64
Maintainer: inosync maintainers <maintainers@inosync.example.org>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= 2.34), rsync
Recommends: openssh-client
Section: net
Priority: optional
Description: mirror directories to other machines in near real time
 inosync watches directory trees with inotify and mirrors every change to
 local directories, hosts reached over ssh and rsync daemons with rsync: one
 rsync per batch of changes and node, listing only what changed. Renamed
 directories are renamed on the nodes; a failing node is retried with backoff
 without holding up the others; filter rules are rsync's own. It runs under
 systemd (Type=notify, inosync.service and inosync@.service), reports its
 state in a JSON status file and Prometheus metrics, and verifies nodes on
 request.
CONTROL
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"

mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/inosync_${version}_amd64.deb" >/dev/null
echo "$out/inosync_${version}_amd64.deb"
