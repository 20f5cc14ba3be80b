#!/bin/bash
# Succeeds only if resetting the fork tree would lose nothing: no
# uncommitted or untracked changes, and no commits made since the tree
# was last synchronised with patches/ (by fork or export).
# Usage: fork-guard.sh TREE
. "$(dirname "$0")/lib.sh"

tree=$1
state=$tree/.git/pmdsafe
if [ -d "$tree/.git/rebase-apply" ]; then
	echo "pmdsafe: $tree has a git am/rebase in progress; finish or abort it first" >&2
	exit 1
fi
dirty=$(git -C "$tree" status --porcelain --ignored --untracked-files=all | head -n 20)
if [ -n "$dirty" ]; then
	cat >&2 <<-MSG
	pmdsafe: $tree has uncommitted changes:
	$dirty
	pmdsafe: commit them (git add -f for new files) and run 'make export' to
	pmdsafe: keep them, or discard them with
	pmdsafe:   git -C $tree reset --hard && git -C $tree clean -fdx
	MSG
	exit 1
fi
head=$(git -C "$tree" rev-parse HEAD)
synced=$(cat "$state/head" 2>/dev/null || true)
if [ -n "$synced" ] && [ "$head" != "$synced" ]; then
	cat >&2 <<-MSG
	pmdsafe: $tree has commits that are not in patches/:
	$(git -C "$tree" log --oneline "$synced..$head" 2>/dev/null | head -n 20)
	pmdsafe: run 'make export' to write them to patches/, or 'make fork FORCE=1'
	pmdsafe: to re-apply patches/ anyway (the old head is kept as a backup ref).
	MSG
	exit 1
fi
exit 0
