# Common helpers for pmdsafe's scripts. Sourced, never run.
# shellcheck shell=bash

set -euo pipefail

PMDSAFE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
	echo "pmdsafe: error: $*" >&2
	exit 1
}

warn() {
	echo "pmdsafe: warning: $*" >&2
}

note() {
	echo "pmdsafe: $*"
}

# stage NAME: print a banner now, and an elapsed-time line when the calling
# script exits (success or failure), so a cold `make` shows where time goes.
stage() {
	PMDSAFE_STAGE=$1
	PMDSAFE_STAGE_T0=$(date +%s.%N)
	echo "==> [$PMDSAFE_STAGE] started $(date -u +%H:%M:%S)"
	trap 'stage_end $?' EXIT
}

stage_end() {
	local rc=$1 t1 dt
	t1=$(date +%s.%N)
	dt=$(awk -v a="$PMDSAFE_STAGE_T0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	if [ "$rc" -eq 0 ]; then
		echo "==> [$PMDSAFE_STAGE] done in ${dt}s"
	else
		echo "==> [$PMDSAFE_STAGE] FAILED after ${dt}s (exit $rc)"
	fi
	if [ -n "${PMDSAFE_TIMES:-}" ]; then
		mkdir -p "$(dirname "$PMDSAFE_TIMES")"
		printf '%s\t%s\t%s\n' "$PMDSAFE_STAGE" "$dt" "$rc" >>"$PMDSAFE_TIMES"
	fi
}

# load_base_conf FILE: strict KEY=value reader. A base conf is data, so it
# is parsed, never sourced: a garbled file must not run anything.
load_base_conf() {
	local file=$1 line n=0 key val
	[ -f "$file" ] || die "base conf $file does not exist (known bases: $(known_bases))"
	# shellcheck disable=SC2034 # read by the scripts that load a conf
	BASE_NAME='' BASE_PACKAGE='' BASE_VERSION='' BASE_TARBALL='' BASE_SHA256=''
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case $line in
		'' | '#'*) continue ;;
		esac
		if ! [[ $line =~ ^([A-Z0-9_]+)=([^[:space:]]*)$ ]]; then
			die "$file:$n: cannot parse '$line' (expected KEY=value)"
		fi
		key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
		case $key in
		BASE_NAME | BASE_PACKAGE | BASE_VERSION | BASE_TARBALL | BASE_SHA256)
			printf -v "$key" '%s' "$val" ;;
		*) die "$file:$n: unknown key $key" ;;
		esac
	done <"$file"
	local k
	for k in BASE_NAME BASE_VERSION BASE_TARBALL BASE_SHA256; do
		[ -n "${!k}" ] || die "$file: $k is missing or empty"
	done
	[[ $BASE_SHA256 =~ ^[0-9a-f]{64}$ ]] ||
		die "$file: BASE_SHA256 is not a sha256 (64 hex digits): '$BASE_SHA256'"
	[[ $BASE_NAME =~ ^[A-Za-z0-9._-]+$ ]] || die "$file: bad BASE_NAME '$BASE_NAME'"
	[[ $BASE_TARBALL == /* ]] || die "$file: BASE_TARBALL must be an absolute path"
}

known_bases() {
	local f names=
	for f in "$PMDSAFE_ROOT"/base/*.conf; do
		names="$names $(basename "$f" .conf)"
	done
	echo "${names# }"
}

# git tag names cannot hold '~' (Debian's backport marker) or ':' (epoch).
base_tag() {
	local v=${2//\~/_}
	echo "base/$1/${v//:/_}"
}

# read_series PATCHES_DIR BASE_NAME: fills SERIES_FILES with the patch files
# of PATCHES_DIR/series (or PATCHES_DIR/BASE/series) in order; a per-base
# variant PATCHES_DIR/BASE/NAME takes the place of PATCHES_DIR/NAME.
# Quilt's per-patch options are refused.
read_series() {
	local patches=$1 base=$2 series=$1/series line name opts n=0
	# A base that must not get every patch (e.g. a fix for code it does
	# not have) has its own list, patches/BASE/series.
	[ ! -f "$patches/$base/series" ] || series=$patches/$base/series
	[ -f "$series" ] || die "$series does not exist"
	SERIES_FILES=()
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		read -r name opts <<<"$line" || true
		[ -n "$name" ] || continue
		[ -z "${opts:-}" ] || die "$series:$n: patch options ('$opts') are not supported"
		if [ -f "$patches/$base/$name" ]; then
			SERIES_FILES+=("$patches/$base/$name")
		elif [ -f "$patches/$name" ]; then
			SERIES_FILES+=("$patches/$name")
		else
			die "$series:$n: patch $name does not exist in $patches"
		fi
	done <"$series"
}

# series_hash TAG: identifies "this base + these patch contents".
series_hash() {
	local f
	{
		echo "$1"
		for f in "${SERIES_FILES[@]}"; do
			basename "$f"
			sha256sum <"$f"
		done
	} | sha256sum | cut -d' ' -f1
}

# checkpatch_ignores IGNORE_FILE PATCH_FILE: the checkpatch types IGNORE_FILE
# excuses for that patch (by name), comma-separated.
checkpatch_ignores() {
	{ awk -v p="$(basename "$2")" '$1 == p { print $2 }' "$1" 2>/dev/null || true; } | paste -sd, -
}

# checkpatch_patch TREE PATCH_FILE [TYPES]: checkpatch --strict on one patch,
# ignoring TYPES. Prints the findings; fails when there is any. The path is
# made absolute: given a relative "patches/..." path, checkpatch reported a
# blank context line of a patch as trailing whitespace.
checkpatch_patch() {
	local out
	# spdxcheck.py needs python3-ply from Debian: prefer the system python3.
	out=$(PATH=/usr/bin:$PATH "$1/scripts/checkpatch.pl" --strict --show-types --no-summary -q \
		${3:+--ignore "$3"} "$(realpath "$2")" 2>&1) && [ -z "$out" ] && return 0
	echo "$out"
	return 1
}

# kbuild BASEDIR TREE OBJ ARGS...: make in the kernel TREE, out of tree in
# OBJ, compiling through ccache. Paths under BASEDIR are hashed relative to
# it, so trees at the same depth below their work dirs share hits.
# LOCALVERSION= (set, empty) keeps setlocalversion from appending "+".
# CROSS=PREFIX (e.g. aarch64-linux-gnu-) compiles the target with that
# cross compiler; pass ARCH= among the ARGS.
kbuild() {
	local base=$1 tree=$2 obj=$3 cross=${CROSS:-}
	shift 3
	CCACHE_DIR=${CCACHE_DIR:-/var/cache/pmdsafe/ccache} CCACHE_BASEDIR=$base CCACHE_NOHASHDIR=1 \
		make -C "$tree" O="$obj" ${cross:+CROSS_COMPILE="$cross"} CC="ccache ${cross}gcc" \
		HOSTCC="ccache gcc" LOCALVERSION= "$@"
}

# series_c_files TREE TAG: the kernel C files the series (TAG..HEAD) adds or
# changes; the tooling's and the tests' (tools/, scripts/, samples/) left out.
series_c_files() {
	git -C "$1" diff --name-only --diff-filter=d "$2" HEAD -- '*.c' ':!tools/' ':!scripts/' ':!samples/'
}

# fork_tag WORK: the base tag of the fork tree WORK/linux (dies without one).
fork_tag() {
	local tag
	tag=$(sed -n 's/^BASE_TAG=//p' "$1/base.resolved" 2>/dev/null || true)
	[ -n "$tag" ] && [ -e "$1/linux/.git" ] || die "no fork tree in $1 (run 'make fork')"
	echo "$tag"
}
