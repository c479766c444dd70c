/**
 * Ambient noise: the healthy-but-busy background a production CMS runs in.
 * A console service is restarted now and then (a redeploy, an operator's
 * reload), services dump their diagnostics to the log on request (a burst of
 * lines an investigator must read past), and a batch job shares the CPU. The
 * profile lives in the lab model; both lab drivers apply it for a whole run
 * (runner/noise.ts), and the control must fire nothing under it.
 */
import { z } from 'zod';
import { SERVICE_NAMES, type ServiceName, readersOf } from './services';

const serviceName = z.enum(SERVICE_NAMES);

export const NoiseProfileShape = z.strictObject({
  /** Benign restarts of one service nothing downstream reads (a console's redeploy). @default none */
  restarts: z.strictObject({ service: serviceName, everyS: z.number().int().min(10).max(3600) }).optional(),
  /** Diagnostic dumps requested by signal (SIGUSR2): each listed service writes its state to the log in one burst. @default none */
  logBursts: z.strictObject({ services: z.array(serviceName).min(1), everyS: z.number().int().min(5).max(3600) }).optional(),
  /** A CPU-bound batch job beside the lab, burning `cpus` of one core in short bursts; `name` is its container's (or process's) name. @default none */
  cpuNeighbour: z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9-]{2,30}$/), cpus: z.number().gt(0).max(1) }).optional(),
  /** Seed of the jitter (each interval is drawn in 0.8-1.2 × everyS), so a run's noise can be replayed. @default 1 */
  seed: z.number().int().min(0).optional(),
});

export type NoiseProfile = z.output<typeof NoiseProfileShape>;

/**
 * Services whose restart nothing downstream notices: no service reads what
 * they write (the tactical display only consumes). Only these may be
 * restarted as noise: restarting a sensor or a pipeline stage is a fault.
 */
export function servicesNothingReads(): ServiceName[] {
  return SERVICE_NAMES.filter((s) => readersOf(s).length === 0);
}

/** Problems of a noise profile beyond its shape, each with its field path relative to the profile. */
export function noiseProblems(profile: NoiseProfile): Array<{ path: PropertyKey[]; message: string }> {
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  const quiet = servicesNothingReads();
  if (profile.restarts && !quiet.includes(profile.restarts.service)) {
    problems.push({ path: ['restarts', 'service'], message: `must be a service nothing reads from (${quiet.join(', ')}): restarting ${profile.restarts.service} interrupts the data flow, which is a fault, not noise` });
  }
  const neighbour = profile.cpuNeighbour?.name;
  if (neighbour && (SERVICE_NAMES as readonly string[]).includes(neighbour)) problems.push({ path: ['cpuNeighbour', 'name'], message: `must not be a CMS service's name ('${neighbour}')` });
  const bursts = profile.logBursts?.services ?? [];
  bursts.forEach((s, i) => {
    if (bursts.indexOf(s) !== i) problems.push({ path: ['logBursts', 'services', i], message: `'${s}' is listed twice` });
  });
  return problems;
}

/** Whether a profile does anything at all. */
export function isQuiet(profile: NoiseProfile | undefined): boolean {
  return !profile || (!profile.restarts && !profile.logBursts && !profile.cpuNeighbour);
}

/** The profile in words, for progress lines and the docs. */
export function noiseInWords(profile: NoiseProfile | undefined): string {
  if (isQuiet(profile)) return 'no noise';
  const parts: string[] = [];
  if (profile?.restarts) parts.push(`${profile.restarts.service} restarted about every ${profile.restarts.everyS} s`);
  if (profile?.logBursts) parts.push(`diagnostic log bursts from ${profile.logBursts.services.join(', ')} about every ${profile.logBursts.everyS} s`);
  if (profile?.cpuNeighbour) parts.push(`a CPU neighbour (${profile.cpuNeighbour.name}) burning ${profile.cpuNeighbour.cpus} of a core`);
  return parts.join('; ');
}

/** A small deterministic generator (mulberry32): the noise's jitter, replayable from its seed. */
export function jitter(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The next interval of a periodic noise, milliseconds: 0.8-1.2 × everyS. */
export function nextIntervalMs(everyS: number, random: () => number): number {
  return Math.round(everyS * 1000 * (0.8 + 0.4 * random()));
}
