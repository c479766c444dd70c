/**
 * Per-service control groups for the native harness (cgroup v1 cpu and
 * memory controllers, as on the lab's development machines): the native
 * equivalent of `docker update --cpus` and `docker run --memory`.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = '/sys/fs/cgroup';
const CFS_PERIOD_US = 100_000;

export class ServiceCgroup {
  readonly cpuDir: string;
  readonly memoryDir: string;

  constructor(lab: string, service: string) {
    this.cpuDir = path.join(ROOT, 'cpu', 'cms-native', lab, service);
    this.memoryDir = path.join(ROOT, 'memory', 'cms-native', lab, service);
  }

  static available(): { ok: boolean; reason?: string } {
    for (const controller of ['cpu', 'memory']) {
      const dir = path.join(ROOT, controller);
      if (!existsSync(path.join(dir, 'cgroup.procs'))) return { ok: false, reason: `no cgroup v1 ${controller} controller at ${dir}` };
    }
    try {
      const probe = path.join(ROOT, 'cpu', 'cms-native');
      mkdirSync(probe, { recursive: true });
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: `cannot create cgroups: ${(error as Error).message}` };
    }
  }

  create(): void {
    mkdirSync(this.cpuDir, { recursive: true });
    mkdirSync(this.memoryDir, { recursive: true });
    this.setCpus(undefined);
    this.setMemoryLimit(undefined);
  }

  /** Moves a process (and its future threads) into both groups. */
  add(pid: number): void {
    writeFileSync(path.join(this.cpuDir, 'cgroup.procs'), String(pid));
    writeFileSync(path.join(this.memoryDir, 'cgroup.procs'), String(pid));
  }

  /**
   * CPUs the group may use (0.05 = 5% of one core), granted per CFS period
   * (default 100 ms, the kernel's); undefined removes the quota and restores
   * the default period.
   */
  setCpus(cpus: number | undefined, periodUs = CFS_PERIOD_US): void {
    const quota = cpus === undefined ? -1 : Math.max(1000, Math.round(cpus * periodUs));
    writeFileSync(path.join(this.cpuDir, 'cpu.cfs_period_us'), String(cpus === undefined ? CFS_PERIOD_US : periodUs));
    writeFileSync(path.join(this.cpuDir, 'cpu.cfs_quota_us'), String(quota));
  }

  cpus(): number | undefined {
    const quota = Number(readFileSync(path.join(this.cpuDir, 'cpu.cfs_quota_us'), 'utf8'));
    return quota < 0 ? undefined : quota / this.periodUs();
  }

  periodUs(): number {
    return Number(readFileSync(path.join(this.cpuDir, 'cpu.cfs_period_us'), 'utf8'));
  }

  /** Memory limit in MB; undefined removes it. The kernel OOM-kills the process above it. */
  setMemoryLimit(mb: number | undefined): void {
    // -1 means unlimited in cgroup v1
    writeFileSync(path.join(this.memoryDir, 'memory.limit_in_bytes'), mb === undefined ? '-1' : String(mb * 1024 * 1024));
  }

  memoryLimitBytes(): number {
    return Number(readFileSync(path.join(this.memoryDir, 'memory.limit_in_bytes'), 'utf8'));
  }

  /** How many times the group hit its memory limit. */
  memoryFailures(): number {
    return Number(readFileSync(path.join(this.memoryDir, 'memory.failcnt'), 'utf8'));
  }

  /** Removes both groups (they must be empty: stop the process first). */
  destroy(): void {
    for (const dir of [this.cpuDir, this.memoryDir]) {
      try {
        rmdirSync(dir);
      } catch {
        // still has a process, or already gone
      }
    }
  }

  /** The controllers that still hold a group of this lab. */
  static labGroupsLeft(lab: string): string[] {
    return ['cpu', 'memory'].filter((controller) => existsSync(path.join(ROOT, controller, 'cms-native', lab)));
  }

  /** Removes the groups of a lab left behind by an earlier run (after its processes are gone). */
  static removeLab(lab: string): void {
    for (const controller of ['cpu', 'memory']) {
      const dir = path.join(ROOT, controller, 'cms-native', lab);
      if (!existsSync(dir)) continue;
      for (const service of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
        try {
          rmdirSync(path.join(dir, service.name));
        } catch {
          // not empty yet
        }
      }
      try {
        rmdirSync(dir);
      } catch {
        // not empty yet
      }
    }
  }
}
