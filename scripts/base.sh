#!/bin/bash
# Make the pinned base available as a pristine git tree:
#   1. install the base package at the pinned version with apt (or, if that
#      version is no longer served, the newest one, loudly),
#   2. check the tarball's sha256,
#   3. extract it into $WORK/linux as one commit, tagged base/NAME/VERSION.
# Usage: base.sh BASE_CONF WORK
. "$(dirname "$0")/lib.sh"
stage base

conf=$1 work=$2
load_base_conf "$conf"
mkdir -p "$work"
resolved=$work/base.resolved

served_versions() {
	{ apt-cache madison "$1" 2>/dev/null || true; } | awk -F'|' '{ gsub(/ /, "", $2); print $2 }'
}

installed_version() {
	{ dpkg-query -W -f '${db:Status-Status} ${Version}' "$1" 2>/dev/null || true; } |
		awk '$1 == "installed" { print $2 }'
}

version=$BASE_VERSION
sha=$BASE_SHA256
if [ -n "$BASE_PACKAGE" ]; then
	have=$(installed_version "$BASE_PACKAGE")
	if [ "$have" != "$BASE_VERSION" ]; then
		served=$(served_versions "$BASE_PACKAGE")
		# Stale package lists must not pass for "no longer served".
		if ! grep -qxF "$BASE_VERSION" <<<"$served"; then
			apt-get update -q
			served=$(served_versions "$BASE_PACKAGE")
		fi
		[ -n "$served" ] || die "apt serves no version of $BASE_PACKAGE"
		if grep -qxF "$BASE_VERSION" <<<"$served"; then
			version=$BASE_VERSION
		else
			version=$(sort -V <<<"$served" | tail -n1)
			cat >&2 <<-MSG
			pmdsafe: ************************************************************
			pmdsafe: WARNING: $BASE_PACKAGE $BASE_VERSION (pinned in $conf)
			pmdsafe: is no longer served by apt. Using the newest served version:
			pmdsafe:     pinned $BASE_VERSION -> got $version
			pmdsafe: The tarball's sha256 cannot be checked against the pin; it
			pmdsafe: is recorded in $resolved. Update $conf to pin it.
			pmdsafe: ************************************************************
			MSG
		fi
		if [ "$have" != "$version" ]; then
			note "installing $BASE_PACKAGE=$version"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-downgrades \
				--no-install-recommends "$BASE_PACKAGE=$version"
		fi
	fi
fi

[ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL (from $conf) does not exist"
tag=$(base_tag "$BASE_NAME" "$version")
tree=$work/linux

# The sha256 of 150 MB costs a second; skip it only when the tree was
# already made from a checked tarball of this exact version and size.
stamp="$version $(stat -c '%s %Y' "$BASE_TARBALL")"
if [ -d "$tree/.git" ] && git -C "$tree" rev-parse -q --verify "refs/tags/$tag" >/dev/null &&
	[ -f "$resolved" ] && grep -qxF "BASE_STAMP=${stamp// /_}" "$resolved"; then
	note "base $tag already extracted in $tree"
	exit 0
fi

got=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
if [ "$version" = "$BASE_VERSION" ] && [ "$got" != "$sha" ]; then
	die "$BASE_TARBALL: sha256 $got does not match $conf ($sha)"
fi
sha=$got

if [ -d "$tree/.git" ]; then
	# A different base (version bump): the old tree goes only if nothing
	# in it would be lost.
	"$PMDSAFE_ROOT/scripts/fork-guard.sh" "$tree" ||
		die "$tree holds work not in patches/; keeping it (see above)"
	note "base changed; replacing $tree"
	rm -rf "$tree"
fi

tmp=$work/linux.extract
rm -rf "$tmp"
mkdir -p "$tmp"
note "extracting $BASE_TARBALL"
tar -xJf "$BASE_TARBALL" -C "$tmp" --strip-components=1
# The base commit's date is the tarball's own newest Makefile date, so the
# same tarball always gives the same commit ids.
date=$(stat -c %Y "$tmp/Makefile")
(
	cd "$tmp"
	git init -q -b master
	git config user.name pmdsafe
	git config user.email pmdsafe@localhost
	git config core.abbrev 12
	# Debian's tarball .gitignore ignores everything at top level ('/*'):
	# add -f, and new files in the tree need `git add -f` too.
	git add -A -f
	GIT_AUTHOR_DATE="@$date +0000" GIT_COMMITTER_DATE="@$date +0000" \
		git commit -q -m "base: $BASE_NAME ${BASE_PACKAGE:-tarball} $version" \
		-m "Pristine $BASE_TARBALL, sha256 $sha."
	git tag "$tag"
)
mv "$tmp" "$tree"
cat >"$resolved" <<-EOF2
BASE_NAME=$BASE_NAME
BASE_PACKAGE=$BASE_PACKAGE
BASE_PINNED=$BASE_VERSION
BASE_VERSION=$version
BASE_SHA256=$sha
BASE_TAG=$tag
BASE_STAMP=${stamp// /_}
EOF2
note "base $tag ready in $tree"
