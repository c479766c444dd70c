#!/usr/bin/env bash
# Builds the stand-in base images the Docker lab uses where the pinned upstream
# images cannot be pulled (no registry access), from Debian packages only:
#   cms-lab-standin/node:<host node version>-bookworm   debootstrap bookworm + the host's Node.js and npm,
#                                                        a `node` user (uid 1000), the host's CA bundle trusted by Node
#   cms-lab-standin/prometheus:<debian version>          Debian's prometheus package on that base
# Idempotent: an image whose org.cms-lab.standin-key label matches its inputs is reused.
# Prints one line per image: `<tag> built|reused`.
# Needs root (debootstrap), DOCKER_HOST pointing at the engine, and the host's apt sources.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${CMS_STANDIN_WORK:-/var/tmp/cms-lab-standins}"
suite=bookworm

node_version="$(node --version | tr -d v)"
node_tag="cms-lab-standin/node:${node_version}-${suite}"
prom_version="$(apt-cache policy prometheus | awk '/Candidate:/ {print $2}')"
prom_tag="cms-lab-standin/prometheus:${prom_version%%+*}"

extra_cas=(/usr/local/share/ca-certificates/*.crt)
[ -e "${extra_cas[0]}" ] || extra_cas=()
key_of() { { cat "$@"; node --version; npm --version; } | sha256sum | cut -c1-16; }
node_key="$(key_of "$0" "${extra_cas[@]}")"
prom_key="$(key_of "$here/prometheus.Dockerfile" <(echo "$node_key $prom_version"))"

has_image() { [ "$(docker image inspect -f '{{index .Config.Labels "org.cms-lab.standin-key"}}' "$1" 2>/dev/null)" = "$2" ]; }

# The Debian mirror the host itself uses (deb822 .sources or a one-line sources.list).
debian_mirror() {
  local uri
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  [ -n "$uri" ] || uri="$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
  [ -n "$uri" ] || { echo "standins: no Debian mirror found in the host's apt sources" >&2; exit 1; }
  echo "$uri"
}

if has_image "$node_tag" "$node_key"; then
  echo "$node_tag reused"
else
  root="$work/node-rootfs"
  rm -rf "$root" && mkdir -p "$root"
  debootstrap --variant=minbase --include=ca-certificates,libstdc++6 "$suite" "$root" "$(debian_mirror)" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # the host's Node.js (its Debian package's files) and its npm (upgraded outside dpkg)
  dpkg -L nodejs | grep '^/' | tar --no-recursion --ignore-failed-read -cf - -T - 2>/dev/null | tar -C "$root" -xf -
  rm -rf "$root/usr/lib/node_modules/npm" && mkdir -p "$root/usr/lib/node_modules" && cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
  # the official image's user: node, uid/gid 1000
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  for ca in "${extra_cas[@]}"; do cp "$ca" "$root/usr/local/share/ca-certificates/"; done
  chroot "$root" update-ca-certificates >/dev/null
  rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  tar -C "$root" -c . | docker import \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL org.cms-lab.standin-key=$node_key org.cms-lab.standin-for=node" \
    --change 'CMD ["node"]' - "$node_tag" >/dev/null
  rm -rf "$root"
  echo "$node_tag built"
fi

if has_image "$prom_tag" "$prom_key"; then
  echo "$prom_tag reused"
else
  DOCKER_BUILDKIT=0 docker build -q --force-rm --network host --build-arg "BASE_IMAGE=$node_tag" \
    --label "org.cms-lab.standin-key=$prom_key" --label "org.cms-lab.standin-for=prom/prometheus" \
    -t "$prom_tag" -f "$here/prometheus.Dockerfile" "$here" >"$work/prometheus-build.log" 2>&1 \
    || { tail -20 "$work/prometheus-build.log" >&2; exit 1; }
  echo "$prom_tag built"
fi
