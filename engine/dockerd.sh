#!/usr/bin/env bash
# The test command's own Docker engine (Debian's docker.io), used when no
# engine is reachable:
#   dockerd.sh start   prints DOCKER_HOST=unix://… of a reachable engine: the caller's
#                      DOCKER_HOST if it answers, else a private dockerd started here
#                      (as root on Linux; installs docker.io when missing); exit 3 with
#                      the reason on stderr when none can be had
#   dockerd.sh stop    stops the private dockerd this script started (by its pid file) and every lane
#   dockerd.sh lane-start <name>
#                      one more private dockerd, for running labs side by side (engine lanes): in a
#                      network namespace of its own (cms-lab-<name>), so its lab has the same container
#                      names, subnet and 127.0.0.1 ports as every other without a clash; its data root
#                      is kept (images loaded once), anything else a killed run left in it is removed.
#                      Prints DOCKER_HOST=unix://… and NETNS=<name of the namespace>
#   dockerd.sh lane-stop <name>
#                      stops that dockerd and removes its namespace
# The private engine keeps its images in a fixed folder, so a later run on the same
# machine reuses the stand-ins and the layers it built. iptables stays on (Docker's default):
# without its rules the embedded DNS cannot answer for names outside the lab network,
# and every lookup of a name that is not run here (otel-collector) waits out the
# resolver's timeouts, holding each stopping service until docker stop kills it.
set -euo pipefail
root="${CMS_LAB_ENGINE_DIR:-/var/tmp/cms-lab-engine}"
sock="$root/docker.sock"
pidfile="$root/dockerd.pid"

answers() { DOCKER_HOST="$1" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
# what a dockerd killed uncleanly leaves mounted under its exec root (its netns files, overlay mounts)
unmount_under() { awk -v d="$1/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true; }
# stops the process named in a pid file (SIGTERM, then SIGKILL after 30 s) and removes the file
stop_pidfile() {
  [ -f "$1" ] || return 0
  local pid; pid="$(cat "$1")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$1"
}
# the host's upstream name servers (systemd-resolved's real ones when resolv.conf names its stub), IPv4 only
upstream_name_servers() {
  local conf=/etc/resolv.conf
  if grep -q '^nameserver 127\.0\.0\.53' "$conf" 2>/dev/null && [ -f /run/systemd/resolve/resolv.conf ]; then conf=/run/systemd/resolve/resolv.conf; fi
  awk '/^nameserver/ {print $2}' "$conf" | grep -v -e '^127\.' -e ':' || true
}
# stops one lane's dockerd and resolver, unmounts what they left, removes its namespace; keeps its data root
lane_stop() {
  local dir="$root/lanes/$1"
  stop_pidfile "$dir/dockerd.pid"
  stop_pidfile "$dir/resolver.pid"
  unmount_under "$dir/exec"
  unmount_under "$dir/data"
  ip netns delete "cms-lab-$1" 2>/dev/null || true
}

case "${1:-}" in
  start)
    if [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then echo "DOCKER_HOST=$DOCKER_HOST"; exit 0; fi
    if answers "unix://$sock"; then echo "DOCKER_HOST=unix://$sock"; exit 0; fi
    [ "$(uname -s)" = Linux ] || { echo "no Docker engine reachable, and a private one needs Linux (this is $(uname -s))" >&2; exit 3; }
    [ "$(id -u)" -eq 0 ] || { echo "no Docker engine reachable (DOCKER_HOST unset or not answering), and starting a private dockerd needs root" >&2; exit 3; }
    if ! command -v dockerd >/dev/null; then
      echo "dockerd: installing Debian's docker.io" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/tmp/cms-lab-docker-apt.log 2>&1 \
        || { tail -5 /tmp/cms-lab-docker-apt.log >&2; echo "apt-get could not install docker.io" >&2; exit 3; }
    fi
    command -v docker >/dev/null || { echo "no docker client on PATH" >&2; exit 3; }
    mkdir -p "$root"
    # a dockerd killed uncleanly leaves its pid file and its bridges; a stale bridge of the lab's subnet steals the
    # route to the new one. With no dockerd running at all, every Docker bridge left on the machine is stale.
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill "$(cat "$pidfile")"; sleep 2; fi
    rm -f "$pidfile" "$sock"
    if ! pgrep -x dockerd >/dev/null; then
      for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | grep '^br-' || true); do ip link delete "$br" 2>/dev/null || true; done
    fi
    for driver in overlay2 vfs; do
      dockerd --data-root "$root/data-$driver" --exec-root "$root/exec" --pidfile "$pidfile" --host "unix://$sock" \
        --bridge=none --storage-driver "$driver" >"$root/dockerd.log" 2>&1 &
      for _ in $(seq 60); do answers "unix://$sock" && break; kill -0 $! 2>/dev/null || break; sleep 0.5; done
      if answers "unix://$sock"; then
        # started here, so nothing runs on it yet: what is there is a killed run's (its applier state went with it)
        left="$(DOCKER_HOST="unix://$sock" docker ps -aq || true)"
        if [ -n "$left" ]; then
          echo "dockerd: removing $(echo "$left" | wc -l) container(s) a killed run left on the private engine" >&2
          DOCKER_HOST="unix://$sock" docker rm -f $left >/dev/null
        fi
        DOCKER_HOST="unix://$sock" docker network prune -f >/dev/null; DOCKER_HOST="unix://$sock" docker volume prune -f >/dev/null
        echo "dockerd: private engine up ($driver storage, $root)" >&2; echo "DOCKER_HOST=unix://$sock"; exit 0
      fi
      kill $! 2>/dev/null || true; wait $! 2>/dev/null || true
      echo "dockerd: $driver storage failed: $(tail -1 "$root/dockerd.log")" >&2
    done
    echo "dockerd did not start (log: $root/dockerd.log)" >&2; exit 3
    ;;
  stop)
    # the lanes first: each is a copy of this engine, useless without it
    if [ -d "$root/lanes" ]; then
      for dir in "$root"/lanes/*/; do
        [ -d "$dir" ] || continue
        lane="$(basename "$dir")"
        if [ -f "$dir/dockerd.pid" ] || ip netns list 2>/dev/null | grep -qw "cms-lab-$lane"; then
          lane_stop "$lane"; echo "dockerd: lane $lane stopped" >&2
        fi
      done
    fi
    if [ -f "$pidfile" ]; then
      stop_pidfile "$pidfile"
      echo "dockerd: private engine stopped" >&2
    fi
    ;;
  lane-start)
    lane="${2:?usage: dockerd.sh lane-start <name>}"
    [[ "$lane" =~ ^[a-z0-9-]{1,20}$ ]] || { echo "lane name '$lane': lowercase letters, digits and '-', at most 20" >&2; exit 2; }
    [ "$(uname -s)" = Linux ] && [ "$(id -u)" -eq 0 ] || { echo "an engine lane needs root on Linux (a network namespace and a dockerd)" >&2; exit 3; }
    command -v dockerd >/dev/null || { echo "no dockerd: start the private engine first (dockerd.sh start installs docker.io)" >&2; exit 3; }
    dir="$root/lanes/$lane"; netns="cms-lab-$lane"; lsock="$dir/docker.sock"; lpid="$dir/dockerd.pid"
    mkdir -p "$dir"
    resolver="$(cd "$(dirname "$0")/.." && pwd)/dist/engine/lane-resolver.js"
    [ -f "$resolver" ] || { echo "no $resolver: build the project first (npm run build)" >&2; exit 3; }
    command -v node >/dev/null || { echo "no node on PATH: the lane's resolver is a Node.js script" >&2; exit 3; }
    # whatever a killed run left of this lane goes first: its dockerd, its resolver, its mounts, its namespace
    # (the bridges and rules a killed dockerd left go with the old namespace)
    lane_stop "$lane"
    rm -f "$lsock"
    fail() { echo "dockerd: lane $lane: $1" >&2; lane_stop "$lane"; exit 3; }
    trap 'fail "a step failed (line $LINENO)"' ERR
    ip netns add "$netns"
    ip -n "$netns" link set lo up
    # the host's name servers, answered inside the namespace: Docker 20.10's embedded DNS sends no answer at all
    # when it cannot reach them, and every lookup of a name outside the lab (the Collector, not run here) would
    # wait out the resolver's 10 s (engine/lane-resolver.ts)
    servers="$(upstream_name_servers)"
    servers="${servers:-8.8.8.8 8.8.4.4}"
    for ns in $servers; do ip -n "$netns" addr add "$ns/32" dev lo; done
    # shellcheck disable=SC2086
    nsenter --net="/run/netns/$netns" node "$resolver" $servers >"$dir/resolver.log" 2>&1 &
    echo $! >"$dir/resolver.pid"
    sleep 0.3
    kill -0 "$(cat "$dir/resolver.pid")" 2>/dev/null || fail "its resolver did not start: $(tail -1 "$dir/resolver.log")"
    # nsenter switches the network namespace only (ip netns exec would remount /sys and hide the cgroup mounts)
    nsenter --net="/run/netns/$netns" dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$lpid" \
      --host "unix://$lsock" --bridge=none --storage-driver overlay2 >"$dir/dockerd.log" 2>&1 &
    for _ in $(seq 60); do answers "unix://$lsock" && break; kill -0 $! 2>/dev/null || break; sleep 0.5; done
    answers "unix://$lsock" || fail "its dockerd did not start: $(tail -1 "$dir/dockerd.log")"
    export DOCKER_HOST="unix://$lsock"
    containers="$(docker ps -aq || true)"
    # shellcheck disable=SC2086
    [ -z "$containers" ] || docker rm -f $containers >/dev/null
    docker network prune -f >/dev/null; docker volume prune -f >/dev/null
    trap - ERR
    echo "dockerd: lane $lane up (namespace $netns, $dir)" >&2
    echo "DOCKER_HOST=unix://$lsock"
    echo "NETNS=$netns"
    ;;
  lane-stop)
    lane="${2:?usage: dockerd.sh lane-stop <name>}"
    [[ "$lane" =~ ^[a-z0-9-]{1,20}$ ]] || { echo "lane name '$lane': lowercase letters, digits and '-', at most 20" >&2; exit 2; }
    lane_stop "$lane"
    echo "dockerd: lane $lane stopped" >&2
    ;;
  *) echo "usage: dockerd.sh start|stop|lane-start <name>|lane-stop <name>" >&2; exit 2 ;;
esac
