# Stand-in for the pinned Prometheus image, used only where that image cannot
# be pulled: Debian's prometheus package on the stand-in Debian base, laid out
# as the upstream image is (entrypoint /bin/prometheus — /bin is /usr/bin in bookworm —, data in /prometheus,
# user nobody, busybox-style wget for the health check).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends prometheus wget \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /prometheus /etc/prometheus \
 && chown -R nobody:nogroup /prometheus /etc/prometheus
USER nobody
WORKDIR /prometheus
ENTRYPOINT ["/bin/prometheus"]
