#!/bin/bash
# Base confs: missing, garbled, wrong checksum, and a pinned version that
# apt no longer serves (apt stubbed on PATH).
. "$(dirname "$0")/lib.sh"

run "$S/base.sh" "$T/nope.conf" "$T/w"
expect_rc nonzero "missing base conf is an error"
expect_out "nope.conf does not exist \(known bases: .*debian-6.12" "error names the file and the known bases"

fake_base "$T" fake
cp "$T/fake.conf" "$T/garbled.conf"
echo 'this is not a key value line; rm -rf /' >>"$T/garbled.conf"
run "$S/base.sh" "$T/garbled.conf" "$T/w"
expect_rc nonzero "garbled base conf is an error"
expect_out "garbled.conf:7: cannot parse" "error names file and line"

sed 's/^BASE_SHA256=.*/BASE_SHA256=1234/' "$T/fake.conf" >"$T/shortsha.conf"
run "$S/base.sh" "$T/shortsha.conf" "$T/w"
expect_rc nonzero "malformed sha256 is an error"
expect_out "BASE_SHA256 is not a sha256" "error says which key"

grep -v '^BASE_VERSION' "$T/fake.conf" >"$T/nover.conf"
run "$S/base.sh" "$T/nover.conf" "$T/w"
expect_rc nonzero "missing key is an error"
expect_out "BASE_VERSION is missing" "error names the missing key"

sed "s/^BASE_SHA256=.*/BASE_SHA256=$(printf '%064d' 0)/" "$T/fake.conf" >"$T/badsum.conf"
run "$S/base.sh" "$T/badsum.conf" "$T/w"
expect_rc nonzero "tarball with the wrong sha256 is refused"
expect_out "sha256 [0-9a-f]{64} does not match" "error shows both checksums"
[ ! -d "$T/w/linux" ] && ok "no tree made from an unverified tarball" || bad "tree was made"

run "$S/base.sh" "$T/fake.conf" "$T/w"
expect_rc 0 "good fake base extracts"
expect_eq "$(git -C "$T/w/linux" tag)" "base/fake/1.0-1" "base commit tagged base/NAME/VERSION"
run "$S/base.sh" "$T/fake.conf" "$T/w"
expect_out "already extracted" "second run does not extract again"

# Pinned version gone from apt: stub apt-cache/dpkg-query/apt-get.
mkdir -p "$T/bin"
cat >"$T/bin/apt-cache" <<'STUB'
#!/bin/sh
printf ' fakepkg | 1.2-1 | http://deb.example stable/main\n fakepkg | 1.1-3 | http://deb.example stable/main\n'
STUB
cat >"$T/bin/dpkg-query" <<'STUB'
#!/bin/sh
exit 1
STUB
cat >"$T/bin/apt-get" <<STUB
#!/bin/sh
echo "apt-get \$*" >>"$T/apt.calls"
cp "$T/fake.tar.xz" "$T/installed.tar.xz"
STUB
chmod +x "$T"/bin/*
sed -e 's/^BASE_PACKAGE=.*/BASE_PACKAGE=fakepkg/' -e 's/^BASE_NAME=.*/BASE_NAME=fallback/' \
	-e "s|^BASE_TARBALL=.*|BASE_TARBALL=$T/installed.tar.xz|" "$T/fake.conf" >"$T/fallback.conf"
run env PATH="$T/bin:$PATH" "$S/base.sh" "$T/fallback.conf" "$T/w2"
expect_rc 0 "unserved pinned version falls back and continues"
expect_out "pinned 1.0-1 -> got 1.2-1" "fallback is announced loudly (pinned -> got)"
expect_out "fakepkg=1.2-1" "newest served version installed"
head -n 1 "$T/apt.calls" | grep -q '^apt-get update' && ok "package lists refreshed before concluding the pin is gone" ||
	bad "fell back without apt-get update"
grep -qx 'BASE_VERSION=1.2-1' "$T/w2/base.resolved" && grep -qx 'BASE_PINNED=1.0-1' "$T/w2/base.resolved" &&
	ok "resolved version recorded" || bad "base.resolved lacks the fallback"
finish
