#!/bin/bash
# A read-only view of the pristine base next to the fork tree (a git
# worktree at the base tag), for running the checkers on the base.
# Usage: base-worktree.sh WORK
. "$(dirname "$0")/lib.sh"

work=$1
tag=$(sed -n 's/^BASE_TAG=//p' "$work/base.resolved")
wt=$work/base-tree
if [ -d "$wt" ] && [ "$(git -C "$wt" rev-parse HEAD)" = "$(git -C "$work/linux" rev-parse "$tag^{commit}")" ]; then
	git -C "$wt" reset -q --hard && git -C "$wt" clean -qfdx
	exit 0
fi
rm -rf "$wt"
git -C "$work/linux" worktree prune
git -C "$work/linux" worktree add -q --detach "$wt" "$tag"
note "base worktree $wt at $tag"
