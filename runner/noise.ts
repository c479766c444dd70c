/**
 * Ambient noise during a run: the lab model's noise profile played against a
 * lab through the driver's noise actions (a restart, a diagnostics request, a
 * CPU neighbour), each periodic part on its own jittered timer. The
 * lifecycle holds the noise while a fault goes in or out (a restart must not
 * race a scenario stack replacing the same container), never touches a
 * service a fault is on, and waits for a restart to settle before it judges
 * the steady state: a benign restart is not a lost baseline.
 */
import { type NoiseProfile, isQuiet, jitter, nextIntervalMs, noiseInWords } from '../model/noise';
import type { ServiceName } from '../model/services';
import { sleep } from '../lib/wait';

/** What a lab driver does for the noise. */
export interface NoiseActions {
  /** Restarts a service the way its platform would (docker restart; a new process natively) and returns once it is back. */
  restart(service: ServiceName): Promise<void>;
  /** Asks a service for a diagnostics dump (SIGUSR2). */
  requestDiagnostics(service: ServiceName): Promise<void>;
  /** Starts the CPU neighbour (replacing one of the same name). */
  startNeighbour(name: string, cpus: number): Promise<void>;
  /** Stops and removes the CPU neighbour; a missing one is fine. */
  stopNeighbour(name: string): Promise<void>;
}

/** A script that burns `cpus` of one core in 100 ms slices: busy for cpus × 100 ms, idle for the rest. */
export function neighbourScript(cpus: number): string {
  const busyMs = Math.round(cpus * 100);
  return `setInterval(() => { const end = Date.now() + ${busyMs}; while (Date.now() < end); }, 100);`;
}

export interface NoiseRunnerProps {
  readonly actions: NoiseActions;
  readonly log: (message: string) => void;
  /** How long after a restart the steady state may still be catching up (the next scrapes). */
  readonly settleMs: number;
}

interface Periodic {
  timer?: NodeJS.Timeout;
}

export class NoiseRunner {
  private held = false;
  private stopped = false;
  private faulted = new Set<ServiceName>();
  private inFlight = new Set<Promise<void>>();
  private lastRestartEnded = 0;
  private neighbour?: { name: string; cpus: number };
  private readonly timers: Periodic[] = [];
  private random: () => number = jitter(1);

  constructor(private readonly props: NoiseRunnerProps) {}

  /** Plays `profile` from now on (replacing the one playing); undefined or an empty profile is silence. */
  async play(profile: NoiseProfile | undefined): Promise<void> {
    if (this.stopped) return;
    this.clearTimers();
    const playing = isQuiet(profile) ? undefined : profile;
    this.random = jitter(profile?.seed ?? 1);
    this.props.log(`noise: ${noiseInWords(playing)}`);
    const wanted = playing?.cpuNeighbour;
    if (this.neighbour && (this.neighbour.name !== wanted?.name || this.neighbour.cpus !== wanted.cpus)) await this.stopNeighbour();
    if (wanted && !this.neighbour) {
      await this.props.actions.startNeighbour(wanted.name, wanted.cpus);
      this.neighbour = { ...wanted };
      this.record(`neighbour ${wanted.name} started (${wanted.cpus} of a core)`);
    }
    const restarts = playing?.restarts;
    if (restarts) this.every(restarts.everyS, async () => this.restart(restarts.service));
    const bursts = playing?.logBursts;
    if (bursts) {
      this.every(bursts.everyS, async () => {
        const services = bursts.services.filter((s) => !this.faulted.has(s));
        await Promise.all(services.map((s) => this.props.actions.requestDiagnostics(s)));
        if (services.length) this.record(`diagnostics requested from ${services.join(', ')}`);
      });
    }
  }

  /** Waits for what is under way and lets nothing new start (a fault is going in or out). */
  async hold(): Promise<void> {
    this.held = true;
    await this.drain();
  }

  /** Lets the noise go on, leaving alone the services a fault is now on. */
  resume(faulted: Iterable<ServiceName>): void {
    this.faulted = new Set(faulted);
    this.held = false;
  }

  /** Resolves once no noise action is under way and the last restart is `settleMs` behind. */
  async settled(): Promise<void> {
    await this.drain();
    const wait = this.lastRestartEnded + this.props.settleMs - Date.now();
    if (wait > 0) await sleep(wait);
    await this.drain();
  }

  /** Ends the noise: timers cleared, what is under way awaited, the neighbour removed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    await this.drain();
    await this.stopNeighbour();
  }

  private async stopNeighbour(): Promise<void> {
    if (!this.neighbour) return;
    const { name } = this.neighbour;
    this.neighbour = undefined;
    await this.props.actions.stopNeighbour(name);
    this.record(`neighbour ${name} stopped`);
  }

  private async restart(service: ServiceName): Promise<void> {
    if (this.faulted.has(service)) return;
    try {
      await this.props.actions.restart(service);
      this.record(`${service} restarted`);
    } finally {
      this.lastRestartEnded = Date.now();
    }
  }

  private every(everyS: number, action: () => Promise<void>): void {
    const slot: Periodic = {};
    this.timers.push(slot);
    const arm = () => {
      slot.timer = setTimeout(() => {
        if (this.stopped) return;
        if (!this.held) {
          const running = action().catch((error: Error) => this.record(`FAILED: ${error.message}`));
          this.inFlight.add(running);
          void running.finally(() => this.inFlight.delete(running));
        }
        arm();
      }, nextIntervalMs(everyS, this.random));
      slot.timer.unref?.();
    };
    arm();
  }

  private clearTimers(): void {
    for (const slot of this.timers.splice(0)) clearTimeout(slot.timer);
  }

  private async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private record(line: string): void {
    this.props.log(`noise: ${line}`);
  }
}
