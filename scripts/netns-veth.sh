#!/bin/sh
# Runs a command in a network namespace of its own, with loopback and one veth pair (va 198.18.0.1,
# vb 198.18.0.2, a test range): Janus (libnice) never gathers ICE candidates on loopback, so the SFU
# tests give it `va` (OOVOO_NETNS_ICE_INTERFACE) while browsers reach it over the pair. Nothing in the
# namespace can reach, or be reached from, any other network. Needs root (unshare -n, ip link).
#
#   sh scripts/netns-veth.sh node --test test/sfu/some.test.ts
set -e
if [ "$OOVOO_NETNS_INSIDE" != "1" ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "netns-veth.sh: the SFU tests run in a network namespace of their own (Janus never uses loopback" >&2
    echo "for ICE), which needs root: run them as root, e.g. 'sudo npm test -- sfu'." >&2
    exit 1
  fi
  for tool in unshare ip; do
    command -v "$tool" >/dev/null 2>&1 || { echo "netns-veth.sh: '$tool' is missing (Debian packages util-linux, iproute2)" >&2; exit 1; }
  done
  # A PID namespace too: when the command ends, whatever it left running (Janus, Chromium) is killed.
  OOVOO_NETNS_INSIDE=1 exec unshare --net --pid --fork --kill-child --mount-proc sh "$0" "$@"
fi
ip link set lo up
ip link add va type veth peer name vb
ip addr add 198.18.0.1/24 dev va
ip addr add 198.18.0.2/24 dev vb
ip link set va up
ip link set vb up
export OOVOO_NETNS_ICE_INTERFACE=va
# Not exec'd: the command stays an ordinary process (PID 1 of a namespace ignores unhandled signals).
"$@"
