/**
 * The uid each image of the lab runs as: upstream grafana/grafana's 472, the
 * OpenSRE image's own 10010 (agents/opensre/Dockerfile), the CMS image's
 * `node` (1000, as the official Node image has). Every host file a container
 * bind-mounts must be readable, and every mounted folder usable, by it.
 */
export const CONTAINER_UIDS = { grafana: 472, opensre: 10010, 'cms-service': 1000 } as const;
