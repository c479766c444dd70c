#!/usr/bin/env bash
# The test command's own Docker engine (Debian's docker.io), used when no
# engine is reachable:
#   dockerd.sh start   prints DOCKER_HOST=unix://… of a reachable engine: the caller's
#                      DOCKER_HOST if it answers, else a private dockerd started here
#                      (as root on Linux; installs docker.io when missing); exit 3 with
#                      the reason on stderr when none can be had
#   dockerd.sh stop    stops the private dockerd this script started (by its pid file)
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
      if answers "unix://$sock"; then echo "dockerd: private engine up ($driver storage, $root)" >&2; echo "DOCKER_HOST=unix://$sock"; exit 0; fi
      kill $! 2>/dev/null || true; wait $! 2>/dev/null || true
      echo "dockerd: $driver storage failed: $(tail -1 "$root/dockerd.log")" >&2
    done
    echo "dockerd did not start (log: $root/dockerd.log)" >&2; exit 3
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      pid="$(cat "$pidfile")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$pidfile"
      echo "dockerd: private engine stopped" >&2
    fi
    ;;
  *) echo "usage: dockerd.sh start|stop" >&2; exit 2 ;;
esac
