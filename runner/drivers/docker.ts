/**
 * The Docker lab driver: the lab deployed as the `lab` stack, each fault
 * injected by deploying `scenario-<name>` and removed by destroying it
 * (always, an abort included). Its stacks are applied by one of two tools:
 *
 * - cdktf (`npx cdktf deploy|destroy`), on a Docker host where Terraform and
 *   its providers are at hand: Grafana evaluates the alert rules, its webhook
 *   contact point's real notification is what the agent is paged with, and
 *   agents read telemetry through Grafana's datasource proxy with the
 *   read-only agent token (read from its file, never written to results);
 * - the engine applier (engine/applier.ts), where cdktf cannot deploy for
 *   want of providers: the same synthesized stacks applied through the
 *   Engine API; what has no image here (Grafana, Loki, Tempo, the Collector)
 *   does not run, so alerts are read from the containerised Prometheus
 *   evaluating the same rules, the page is rendered from its firing
 *   instances, and agents read Prometheus alone.
 *
 * Strict isolation (the default) starts every run with fresh observability
 * state: the stateful observability containers lose their containers and
 * volumes and the `lab` stack recreates them; --keep-observability restarts
 * only the CMS services, so agents see history as in production.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readState } from '../../engine/applier';
import { type DockerApi, dockerApi } from '../../engine/docker-api';
import { appliedScenarioStacks, engineResidue, engineSteadyState, labDrift, labPrometheus } from '../../engine/lab-checks';
import { applyOnEngine, destroyOnEngine, engineStateDir, synthStacks } from '../../engine/lab-engine';
import { notificationFromPrometheus } from '../../harness/notification';
import { LokiHttp, PrometheusHttp, type Sources, TempoHttp } from '../../investigator/sources';
import { ALERT_RULES, alertRule } from '../../model/alerts';
import { type LabModel, dataVolumeName } from '../../model/lab';
import { SERVICE_NAMES } from '../../model/services';
import { type GrafanaNotification, scenarioAlert } from '../../scenarios/render';
import type { ScenarioSpec } from '../../scenarios/types';
import { labProblems } from '../../lib/lab-status';
import { projectRoot } from '../../services/runtime/paths';
import { hostPaths } from '../../lib/host-paths';
import { runAgentProcess } from '../agents/process';
import { type LabDriver, LabNotReadyError, type LabRun, type Page, type TelemetryAccess } from '../lab-driver';
import { type NoiseActions, neighbourScript } from '../noise';
import { registerSecret } from '../redact';
import { waitFor } from '../../lib/wait';

/** Runs a command to completion (injected in tests). */
export type Shell = (file: string, args: readonly string[], options?: { timeoutMs?: number }) => Promise<{ exitCode: number | null; output: string }>;

/** Reads the lab's alerting and steady state (injected in tests). */
export interface LabProbe {
  /** Lab-model uids of the alerts firing now. */
  firingAlerts(): Promise<string[]>;
  /** The healthy baseline holds: every target up, every track held by its sensors. */
  steady(): Promise<boolean>;
  /** Notifications the alert sink received since `sinceMs` (none where Grafana does not run). */
  notifications(sinceMs: number): Promise<GrafanaNotification[]>;
}

/** Brings the lab's stacks up and down. */
export interface StackTool {
  readonly name: 'cdktf' | 'applier';
  /** In words, for progress output and each run's record. */
  readonly mechanism: string;
  deploy(stack: string, log: (m: string) => void): Promise<void>;
  destroy(stack: string, log: (m: string) => void): Promise<void>;
  /** Scenario stacks that still hold resources (a fault an interrupted run left in place). */
  deployedScenarioStacks(): string[];
  /** Containers of the lab stack that do not run under this tool (no image here). */
  notRun(): string[];
  /** The lab's containers against their declaration (what the tool can tell). */
  drift(): Promise<string[]>;
  /** What no applied stack owns, and scenario stacks still deployed. */
  residue(): Promise<string[]>;
}

const defaultShell: Shell = async (file, args, options) => {
  const outcome = await runAgentProcess(file, args, { cwd: projectRoot(), env: {}, timeoutMs: options?.timeoutMs ?? 15 * 60_000 });
  return { exitCode: outcome.launchError ? 127 : outcome.exitCode, output: outcome.launchError ?? outcome.output };
};

async function step(shell: Shell, log: (m: string) => void, what: string, file: string, args: readonly string[]): Promise<void> {
  log(`${what}: ${file} ${args.join(' ')}`);
  const result = await shell(file, args);
  for (const line of result.output.split('\n').filter(Boolean).slice(-40)) log(`  ${line}`);
  if (result.exitCode !== 0) throw new Error(`${what} failed (exit ${result.exitCode}): ${result.output.split('\n').filter(Boolean).slice(-3).join(' / ')}`);
}

/** cdktf's local backend keeps each stack's state at terraform.<stack>.tfstate in the project. */
export class CdktfStacks implements StackTool {
  readonly name = 'cdktf' as const;
  readonly mechanism = 'cdktf deploy/destroy (Terraform with the kreuzwerker/docker and grafana providers)';

  constructor(private readonly shell: Shell = defaultShell) {}

  async deploy(stack: string, log: (m: string) => void): Promise<void> {
    await step(this.shell, log, `deploy ${stack}`, 'npx', ['cdktf', 'deploy', stack, '--auto-approve']);
  }

  async destroy(stack: string, log: (m: string) => void): Promise<void> {
    await step(this.shell, log, `destroy ${stack}`, 'npx', ['cdktf', 'destroy', stack, '--auto-approve']);
  }

  deployedScenarioStacks(): string[] {
    const root = projectRoot();
    return readdirSync(root)
      .filter((f) => /^terraform\.scenario-[a-z0-9-]+\.tfstate$/.test(f))
      .filter((f) => {
        try {
          return ((JSON.parse(readFileSync(path.join(root, f), 'utf8')) as { resources?: unknown[] }).resources ?? []).length > 0;
        } catch {
          return false;
        }
      })
      .map((f) => f.replace(/^terraform\./, '').replace(/\.tfstate$/, ''));
  }

  notRun(): string[] {
    return [];
  }

  async drift(): Promise<string[]> {
    return [];
  }

  async residue(): Promise<string[]> {
    return this.deployedScenarioStacks().map((s) => `${s} still deployed`);
  }
}

/** The engine applier: the synthesized stacks applied through the Engine API, where cdktf cannot deploy. */
export class ApplierStacks implements StackTool {
  readonly name = 'applier' as const;
  readonly mechanism = 'the engine applier (the synthesized stacks applied through the Docker Engine API; cdktf cannot deploy here for want of Terraform providers)';

  constructor(
    private readonly lab: LabModel,
    private readonly stateDir: string = engineStateDir(),
    private readonly api: DockerApi = dockerApi(),
  ) {}

  async deploy(stack: string, log: (m: string) => void): Promise<void> {
    await applyOnEngine(stack, { lab: this.lab, log, stateDir: this.stateDir, api: this.api });
  }

  async destroy(stack: string, log: (m: string) => void): Promise<void> {
    await destroyOnEngine(stack, { lab: this.lab, log, stateDir: this.stateDir, api: this.api });
  }

  deployedScenarioStacks(): string[] {
    return appliedScenarioStacks(this.stateDir);
  }

  notRun(): string[] {
    return (readState(this.stateDir, 'lab')?.resources ?? []).filter((r) => r.type === 'docker_container' && r.notRun && r.name).map((r) => r.name!);
  }

  drift(): Promise<string[]> {
    return labDrift(this.api, this.stateDir);
  }

  residue(): Promise<string[]> {
    return engineResidue(this.api, this.stateDir);
  }
}

/** The tool that deployed the lab drives its scenarios: the engine applier where it holds the lab's state, cdktf otherwise. */
export function defaultStackTool(stateDir: string = engineStateDir()): 'cdktf' | 'applier' {
  return readState(stateDir, 'lab') ? 'applier' : 'cdktf';
}

/** Grafana's alert API and webhook sink, and the lab's host ports. */
export class GrafanaLabProbe implements LabProbe {
  constructor(
    private readonly lab: LabModel,
    private readonly token: () => string,
  ) {}

  private get grafana(): string {
    return `http://${this.lab.bindAddress}:${this.lab.grafana.hostPort}`;
  }

  private async json(url: string, auth: boolean): Promise<unknown> {
    const response = await fetch(url, { headers: auth ? { authorization: `Bearer ${this.token()}` } : {}, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url.split('?')[0]}`);
    return response.json();
  }

  async firingAlerts(): Promise<string[]> {
    const body = (await this.json(`${this.grafana}/api/prometheus/grafana/api/v1/alerts`, true)) as { data?: { alerts?: Array<{ labels: Record<string, string>; state: string }> } };
    const titles = new Set((body.data?.alerts ?? []).filter((a) => /^alerting/i.test(a.state) || a.state === 'firing').map((a) => a.labels.alertname));
    return ALERT_RULES.filter((rule) => titles.has(rule.title)).map((rule) => rule.uid);
  }

  steady(): Promise<boolean> {
    return engineSteadyState(this.lab);
  }

  async notifications(sinceMs: number): Promise<GrafanaNotification[]> {
    const sink = `http://${this.lab.bindAddress}:${this.lab.observability.alertSink.hostPort}`;
    const body = (await this.json(`${sink}/notifications?since=${sinceMs}`, false)) as Array<{ payload: GrafanaNotification }>;
    return body.map((n) => n.payload);
  }
}

/** The containerised Prometheus, evaluating the lab's rules where Grafana cannot run. */
export class PrometheusLabProbe implements LabProbe {
  constructor(private readonly lab: LabModel) {}

  async firingAlerts(): Promise<string[]> {
    return [...new Set((await labPrometheus(this.lab).firing()).map((a) => a.labels.alertname))];
  }

  steady(): Promise<boolean> {
    return engineSteadyState(this.lab);
  }

  async notifications(): Promise<GrafanaNotification[]> {
    return [];
  }
}

export interface DockerDriverProps {
  readonly lab: LabModel;
  /** @default fresh observability state for every run */
  readonly keepObservability?: boolean;
  /** What applies the stacks. @default defaultStackTool(): the engine applier where it deployed the lab, cdktf otherwise */
  readonly stacks?: StackTool;
  /** @default execa-based shell */
  readonly shell?: Shell;
  /** @default Grafana's API where Grafana runs, the containerised Prometheus otherwise */
  readonly probe?: LabProbe;
  /** @default 2000 */
  readonly pollMs?: number;
  /** File holding the agents' Grafana token. @default the lab's host path */
  readonly tokenFile?: string;
  /** How long after the alert fires to wait for Grafana's notification before handing over the rendered alert.json. @default 60 000 */
  readonly notificationWaitMs?: number;
  /** Reads `docker` (inspect, version) for the lab-up checks (injected in tests). @default the docker CLI */
  readonly inspect?: (args: readonly string[]) => string | undefined;
}

const STATEFUL_OBSERVABILITY = ['prometheus', 'loki', 'tempo'] as const;

export class DockerDriver implements LabDriver {
  readonly kind = 'docker' as const;
  readonly lanes = 1;
  readonly baselineTimeoutMs = 180_000;
  readonly lab: LabModel;
  readonly pollMs: number;
  readonly stacks: StackTool;
  private readonly shell: Shell;
  private readonly tokenFile: string;
  private readonly notificationWaitMs: number;
  private readonly explicitProbe?: LabProbe;

  constructor(private readonly props: DockerDriverProps) {
    this.lab = props.lab;
    this.shell = props.shell ?? defaultShell;
    this.stacks = props.stacks ?? (defaultStackTool() === 'cdktf' ? new CdktfStacks(this.shell) : new ApplierStacks(props.lab));
    this.tokenFile = props.tokenFile ?? hostPaths().agentTokenFile;
    this.explicitProbe = props.probe;
    this.pollMs = props.pollMs ?? 2000;
    this.notificationWaitMs = props.notificationWaitMs ?? 60_000;
  }

  get mechanism(): string {
    return `the Docker lab, stacks applied by ${this.stacks.mechanism}`;
  }

  /** Grafana runs wherever the stack tool runs it (not under the applier here). */
  private get grafanaRuns(): boolean {
    return !this.stacks.notRun().includes('grafana');
  }

  private get probe(): LabProbe {
    return this.explicitProbe ?? (this.grafanaRuns ? new GrafanaLabProbe(this.lab, () => this.token()) : new PrometheusLabProbe(this.lab));
  }

  private token(): string {
    if (!existsSync(this.tokenFile)) throw new LabNotReadyError(`the agents' Grafana token is missing at ${this.tokenFile}: deploy the lab first ('npx cdktf deploy lab')`);
    const token = readFileSync(this.tokenFile, 'utf8').trim();
    registerSecret(token);
    return token;
  }

  async check(): Promise<void> {
    const problems = this.labProblems();
    if (problems.length) throw new LabNotReadyError(`the lab is not up (${problems.join('; ')}): deploy it first with ${this.stacks.name === 'cdktf' ? "'npx cdktf deploy lab'" : "'npm run engine -- apply lab'"}`);
    if (this.stacks.name === 'applier') synthStacks(this.lab);
    if (this.grafanaRuns) this.token();
  }

  /** The CPU neighbour's container if it is there (by default the ambient noise's). */
  private async neighbourLeft(name = this.lab.noise.ambient.cpuNeighbour?.name): Promise<string | undefined> {
    if (!name) return undefined;
    const listed = await this.shell('docker', ['ps', '-a', '--filter', `name=^/${name}$`, '--format', '{{.Names}}']);
    return listed.exitCode === 0 && listed.output.trim() === name ? name : undefined;
  }

  /** Noise on the engine: docker restart, docker kill --signal SIGUSR2, and the neighbour as a container of the service image with no network. */
  private noiseActions(log: (m: string) => void, started: { neighbour?: string }): NoiseActions {
    const quiet = () => undefined;
    return {
      restart: (service) => step(this.shell, quiet, `restart ${service}`, 'docker', ['restart', service]),
      requestDiagnostics: (service) => step(this.shell, quiet, `diagnostics of ${service}`, 'docker', ['kill', '--signal', 'SIGUSR2', service]),
      startNeighbour: async (name, cpus) => {
        started.neighbour = name;
        await this.shell('docker', ['rm', '-f', name]);
        await step(this.shell, log, `start ${name}`, 'docker', ['run', '-d', '--name', name, '--network', 'none', '--memory', '64m', '--entrypoint', 'node', this.lab.cms.image, '-e', neighbourScript(cpus)]);
      },
      stopNeighbour: (name) => step(this.shell, log, `remove ${name}`, 'docker', ['rm', '-f', name]),
    };
  }

  async removeLeftovers(): Promise<string[]> {
    const found: string[] = [];
    const neighbour = await this.neighbourLeft();
    if (neighbour) {
      await step(this.shell, () => undefined, `remove ${neighbour}`, 'docker', ['rm', '-f', neighbour]);
      found.push(`${neighbour} was still running: removed`);
    }
    for (const stack of this.stacks.deployedScenarioStacks()) {
      await this.stacks.destroy(stack, () => undefined);
      found.push(`${stack} was still deployed: destroyed`);
    }
    return found;
  }

  private access(): TelemetryAccess {
    const prometheus = `http://${this.lab.bindAddress}:${this.lab.observability.prometheus.hostPort}`;
    if (!this.grafanaRuns) {
      return {
        sources: { metrics: new PrometheusHttp({ url: prometheus }) },
        env: { CMS_PROMETHEUS_URL: prometheus },
        description: `Docker lab on this engine: Prometheus at ${prometheus} alone (Grafana, Loki, Tempo and the Collector have no image here, so no logs or traces)`,
      };
    }
    const grafana = `http://${this.lab.bindAddress}:${this.lab.grafana.hostPort}`;
    const token = this.token();
    const proxy = (uid: string) => ({ url: `${grafana}/api/datasources/proxy/uid/${uid}`, token });
    const ds = this.lab.grafana.datasources;
    const sources: Sources = { metrics: new PrometheusHttp(proxy(ds.prometheus.uid)), logs: new LokiHttp(proxy(ds.loki.uid)), traces: new TempoHttp(proxy(ds.tempo.uid)) };
    return {
      sources,
      // Grafana alone, read-only: agents are not told of Prometheus's own port (it takes writes and lifecycle commands)
      env: { CMS_GRAFANA_URL: grafana, CMS_GRAFANA_TOKEN_FILE: this.tokenFile },
      description: `Docker lab: Prometheus, Loki and Tempo through Grafana's datasource proxy at ${grafana} with the read-only agent token`,
    };
  }

  private async reset(log: (m: string) => void, signal?: AbortSignal): Promise<void> {
    if (!this.props.keepObservability) {
      const notRun = new Set(this.stacks.notRun());
      const stateful = STATEFUL_OBSERVABILITY.filter((c) => !notRun.has(c));
      const collector = notRun.has('otel-collector') ? [] : ['otel-collector'];
      await step(this.shell, log, 'remove the observability state', 'docker', ['rm', '-f', ...stateful, ...collector]);
      await step(this.shell, log, 'remove the observability volumes', 'docker', ['volume', 'rm', '-f', ...stateful.map((c) => dataVolumeName(this.lab, c))]);
      log('recreate them: deploy lab');
      await this.stacks.deploy('lab', log);
    }
    // side by side: one `docker restart a b …` stops and starts them one after another (about 3 s each)
    log(this.props.keepObservability ? 'restart the CMS services (observability kept)' : 'restart the CMS services');
    await Promise.all(SERVICE_NAMES.map((service) => step(this.shell, log, `  restart ${service}`, 'docker', ['restart', service])));
    // a scenario's lab-up check wants every container healthy, not only the picture back
    await waitFor(`every lab container running and healthy`, () => this.labProblems().length === 0, this.baselineTimeoutMs, this.pollMs, signal);
    log('every lab container is healthy');
  }

  private labProblems(): string[] {
    const containers = [...SERVICE_NAMES, 'prometheus', 'loki', 'tempo', 'otel-collector', 'grafana', 'alert-sink'];
    return labProblems(this.lab.network.name, containers, this.props.inspect, this.stacks.notRun());
  }

  async open(_label: string, log: (message: string) => void, signal?: AbortSignal): Promise<LabRun> {
    await this.reset(log, signal);
    const probe = this.probe;
    const driver = this;
    let injectedStack: string | undefined;
    const started: { neighbour?: string } = {};
    return {
      leftoversAtStart: [],
      steady: () => probe.steady(),
      firing: () => probe.firingAlerts(),
      async inject(spec: ScenarioSpec, say) {
        injectedStack = `scenario-${spec.name}`;
        await driver.stacks.deploy(injectedStack, say);
      },
      async revert(_spec: ScenarioSpec, say) {
        if (injectedStack) await driver.stacks.destroy(injectedStack, say);
        injectedStack = undefined;
      },
      async page(spec: ScenarioSpec, moments): Promise<Page | undefined> {
        if (!driver.grafanaRuns) {
          return { notification: notificationFromPrometheus(driver.lab, spec.expectedAlerts[0], await labPrometheus(driver.lab).firing()), source: 'rendered-from-prometheus' };
        }
        const title = alertRule(spec.expectedAlerts[0]).title;
        const delivered = (await probe.notifications(moments.injectedAt).catch(() => [])).find((n) => n.status === 'firing' && n.alerts.some((a) => a.labels.alertname === title));
        // OpenSRE only uses its Grafana tools for alerts that say they come from Grafana: the one field added to the real payload
        if (delivered) return { notification: { ...delivered, alert_source: 'grafana' }, source: 'grafana-webhook' };
        if (Date.now() - moments.allFiringSince <= driver.notificationWaitMs) return undefined;
        log(`no notification from Grafana within ${driver.notificationWaitMs / 1000} s: handing over the rendered alert.json`);
        return { notification: { ...scenarioAlert(spec, driver.lab, new Date(moments.allFiringSince).toISOString()), alert_source: 'grafana' }, source: 'rendered-fallback' };
      },
      access: () => driver.access(),
      noise: driver.noiseActions(log, started),
      async close() {
        // a run that played a neighbour checks it is gone (leftovers of killed runs are removeLeftovers' to find)
        const neighbour = started.neighbour ? await driver.neighbourLeft(started.neighbour) : undefined;
        return { residue: [...(await driver.stacks.residue()), ...(neighbour ? [`container ${neighbour}`] : [])], drift: await driver.stacks.drift() };
      },
    };
  }
}
