/**
 * Where an image comes from on this engine: present locally, pulled, or — only
 * when the pinned upstream image cannot be pulled — a stand-in built from
 * Debian packages (engine/standins/build.sh), found by its
 * `org.cms-lab.standin-for` label. Stand-ins carry a local name, never an
 * upstream one, and every use is reported.
 */
import { type DockerApi, inspectOrAbsent } from './docker-api';

export const STANDIN_LABEL = 'org.cms-lab.standin-for';
/** Stand-ins live under this local name only (images built on them inherit the label, not the name). */
export const STANDIN_REPOSITORY_PREFIX = 'cms-lab-standin/';

export interface ImageResolution {
  /** The reference the stack names. */
  readonly requested: string;
  /** Engine image id used. */
  readonly id: string;
  /** The local stand-in tag used in its place, when the requested image could not be had. */
  readonly standIn?: string;
}

/** `prom/prometheus:v2.53.5` → `prom/prometheus`; `node:20-slim` → `node`. */
export function repositoryOf(ref: string): string {
  const noDigest = ref.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}

async function inspectId(api: DockerApi, ref: string): Promise<string | undefined> {
  return (await inspectOrAbsent<{ Id: string }>(api, `/images/${encodeURIComponent(ref)}/json`))?.Id;
}

async function tryPull(api: DockerApi, ref: string): Promise<boolean> {
  const repository = repositoryOf(ref);
  const tag = ref.slice(repository.length + 1) || 'latest';
  try {
    const out = await api.call<unknown>('POST', `/images/create?fromImage=${encodeURIComponent(repository)}&tag=${encodeURIComponent(tag)}`, undefined, { timeoutMs: 600_000 });
    return !(typeof out === 'string' && /"error"/.test(out));
  } catch {
    return false;
  }
}

export async function standInFor(api: DockerApi, ref: string): Promise<{ tag: string; id: string } | undefined> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${STANDIN_LABEL}=${repositoryOf(ref)}`] }));
  const images = await api.call<Array<{ Id: string; RepoTags: string[] | null }>>('GET', `/images/json?filters=${filters}`);
  for (const image of images) {
    const tag = image.RepoTags?.find((t) => t.startsWith(STANDIN_REPOSITORY_PREFIX));
    if (tag) return { tag, id: image.Id };
  }
  return undefined;
}

/** The image to use for `ref`, or undefined when it can be neither found, pulled nor stood in for. */
export async function resolveImage(api: DockerApi, ref: string): Promise<ImageResolution | undefined> {
  const local = (await inspectId(api, ref)) ?? ((await tryPull(api, ref)) ? await inspectId(api, ref) : undefined);
  if (local) return { requested: ref, id: local };
  const standIn = await standInFor(api, ref);
  return standIn ? { requested: ref, id: standIn.id, standIn: standIn.tag } : undefined;
}
