#!/bin/bash
# The second config: the fork's code also builds with CONFIG_ZONE_DEVICE off.
# Uses the fork tree and object dir of the main job.
. "$(dirname "$0")/lib.sh"

W=$ROOT/work/${BASE:-debian-6.12}
if [ -f "$W/obj/.config" ]; then
	run "$S/build-alt.sh" "$W"
	expect_rc 0 "make build-alt: mm/, block/ and the series' directories build without ZONE_DEVICE"
	expect_out "built [1-9][0-9]* objects without ZONE_DEVICE" "it compiled something"
	! grep -q '^CONFIG_ZONE_DEVICE=y' "$W/obj-alt/.config" && ok "and ZONE_DEVICE was off" ||
		bad "ZONE_DEVICE on in $W/obj-alt/.config"
	echo "$out" | grep -E 'ZONE_DEVICE=n build|built|done in' | sed 's/^/    /'
else
	bad "no kernel build in $W (run make build first)"
fi
finish
