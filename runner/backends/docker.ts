/**
 * The Docker backend: the lab deployed with `cdktf deploy lab`, each fault
 * injected with `cdktf deploy scenario-<name>` and removed with `cdktf
 * destroy scenario-<name>` (always, an abort included). The notification
 * handed to the agent is the one Grafana's webhook contact point really
 * posted to the lab's alert sink; agents read telemetry through Grafana's
 * datasource proxy with the read-only agent token (read from its file,
 * never written to results).
 *
 * Strict isolation (the default) starts every run with fresh observability
 * state: Prometheus, Loki and Tempo lose their containers and volumes and
 * `cdktf deploy lab` recreates them; --keep-observability restarts only the
 * CMS services, so agents see history as in production.
 *
 * Not exercised here (no Docker engine on this project's machines): the
 * tests cover its preconditions and its cleanup-on-abort logic through an
 * injected shell.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LokiHttp, PrometheusHttp, type Sources, TempoHttp } from '../../investigator/sources';
import { alertRule } from '../../model/alerts';
import { type LabModel, dataVolumeName } from '../../model/lab';
import { SERVICE_NAMES, SENSOR_SERVICES } from '../../model/services';
import { STEADY_STATE } from '../../model/simulation';
import { budgetOf } from '../../scenarios/budget';
import { CONTROL, controlAlert } from '../../scenarios/control';
import { type GrafanaNotification, scenarioAlert } from '../../scenarios/render';
import type { ScenarioSpec } from '../../scenarios/types';
import { labProblems } from '../../scripts/lab/lab-status';
import { hostPaths } from '../../stacks/host-paths';
import { projectRoot } from '../../services/runtime/paths';
import { runAgentProcess } from '../agents/process';
import { registerSecret } from '../redact';
import { type LabBackend, LabNotReadyError, type ManifestationRecord, type RunHooks, type TelemetryAccess } from './types';

/** Runs a command to completion (injected in tests). */
export type Shell = (file: string, args: readonly string[], options?: { timeoutMs?: number }) => Promise<{ exitCode: number | null; output: string }>;

/** Reads the lab's HTTP surfaces (injected in tests). */
export interface LabProbe {
  /** Firing Grafana alert names. */
  firingAlerts(): Promise<string[]>;
  /** The healthy baseline holds: every target up, sensors publishing, every track held. */
  steady(): Promise<boolean>;
  /** Notifications the sink received since `sinceMs`. */
  notifications(sinceMs: number): Promise<GrafanaNotification[]>;
}

export interface DockerBackendProps {
  readonly lab: LabModel;
  /** @default fresh observability state for every run */
  readonly keepObservability?: boolean;
  /** @default execa-based shell */
  readonly shell?: Shell;
  /** @default HTTP probe of the lab's host ports */
  readonly probe?: LabProbe;
  /** @default 2000 */
  readonly pollMs?: number;
  /** File holding the agents' Grafana token. @default the lab's host path */
  readonly tokenFile?: string;
  /** How long after the alert fires to wait for Grafana's notification before handing over the rendered alert.json. @default 60 000 */
  readonly notificationWaitMs?: number;
}

const defaultShell: Shell = async (file, args, options) => {
  const outcome = await runAgentProcess(file, args, { cwd: projectRoot(), env: {}, timeoutMs: options?.timeoutMs ?? 15 * 60_000 });
  return { exitCode: outcome.launchError ? 127 : outcome.exitCode, output: outcome.launchError ?? outcome.output };
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class HttpLabProbe implements LabProbe {
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
    return [...new Set((body.data?.alerts ?? []).filter((a) => /^alerting/i.test(a.state) || a.state === 'firing').map((a) => a.labels.alertname))];
  }

  async steady(): Promise<boolean> {
    const prometheus = `http://${this.lab.bindAddress}:${this.lab.observability.prometheus.hostPort}`;
    const query = async (q: string) =>
      ((await this.json(`${prometheus}/api/v1/query?query=${encodeURIComponent(q)}`, false)) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
    const up = await query('up{job="cms-services"}');
    const publishing = await query('sum by (sensor_id) (rate(cms_sensor_published_total[30s])) > 0');
    const tracks = await query('cms_fusion_active_tracks');
    return up.length === SERVICE_NAMES.length && up.every((u) => u.value[1] === '1') && publishing.length === SENSOR_SERVICES.length && Number(tracks[0]?.value[1]) === STEADY_STATE.activeTracks;
  }

  async notifications(sinceMs: number): Promise<GrafanaNotification[]> {
    const sink = `http://${this.lab.bindAddress}:${this.lab.observability.alertSink.hostPort}`;
    const body = (await this.json(`${sink}/notifications?since=${sinceMs}`, false)) as Array<{ payload: GrafanaNotification }>;
    return body.map((n) => n.payload);
  }
}

export class DockerBackend implements LabBackend {
  readonly kind = 'docker' as const;
  readonly lanes = 1;
  readonly lab: LabModel;
  private readonly shell: Shell;
  private readonly probe: LabProbe;
  private readonly pollMs: number;
  private readonly tokenFile: string;
  private readonly notificationWaitMs: number;

  constructor(private readonly props: DockerBackendProps) {
    this.lab = props.lab;
    this.shell = props.shell ?? defaultShell;
    this.tokenFile = props.tokenFile ?? hostPaths().agentTokenFile;
    this.probe = props.probe ?? new HttpLabProbe(props.lab, () => this.token());
    this.pollMs = props.pollMs ?? 2000;
    this.notificationWaitMs = props.notificationWaitMs ?? 60_000;
  }

  private token(): string {
    if (!existsSync(this.tokenFile)) throw new LabNotReadyError(`the agents' Grafana token is missing at ${this.tokenFile}: deploy the lab first ('npx cdktf deploy lab')`);
    const token = readFileSync(this.tokenFile, 'utf8').trim();
    registerSecret(token);
    return token;
  }

  async check(): Promise<void> {
    const containers = [...SERVICE_NAMES, 'prometheus', 'loki', 'tempo', 'otel-collector', 'grafana', 'alert-sink'];
    const problems = labProblems(this.lab.network.name, containers);
    if (problems.length) throw new LabNotReadyError(`the lab is not up (${problems.join('; ')}): deploy it first with 'npx cdktf deploy lab'`);
    this.token();
  }

  /** Scenario stacks whose local state still holds resources (a fault an interrupted run left in place). */
  deployedScenarioStacks(): string[] {
    const root = projectRoot();
    return scenarioStateFiles(root).filter((file) => {
      try {
        const state = JSON.parse(readFileSync(file, 'utf8')) as { resources?: unknown[] };
        return (state.resources ?? []).length > 0;
      } catch {
        return false;
      }
    }).map((file) => path.basename(file).replace(/^terraform\./, '').replace(/\.tfstate$/, ''));
  }

  async removeLeftovers(): Promise<string[]> {
    const found: string[] = [];
    for (const stack of this.deployedScenarioStacks()) {
      const result = await this.shell('npx', ['cdktf', 'destroy', stack, '--auto-approve']);
      found.push(`${stack} was still deployed: destroyed (exit ${result.exitCode})`);
    }
    return found;
  }

  private access(): TelemetryAccess {
    const grafana = `http://${this.lab.bindAddress}:${this.lab.grafana.hostPort}`;
    const token = this.token();
    const proxy = (uid: string) => ({ url: `${grafana}/api/datasources/proxy/uid/${uid}`, token });
    const ds = this.lab.grafana.datasources;
    const sources: Sources = { metrics: new PrometheusHttp(proxy(ds.prometheus.uid)), logs: new LokiHttp(proxy(ds.loki.uid)), traces: new TempoHttp(proxy(ds.tempo.uid)) };
    return {
      sources,
      env: { CMS_GRAFANA_URL: grafana, CMS_GRAFANA_TOKEN_FILE: this.tokenFile, CMS_PROMETHEUS_URL: `http://${this.lab.bindAddress}:${this.lab.observability.prometheus.hostPort}` },
      description: `Docker lab: Prometheus, Loki and Tempo through Grafana's datasource proxy at ${grafana} with the read-only agent token`,
    };
  }

  private async step(log: (m: string) => void, what: string, file: string, args: readonly string[]): Promise<void> {
    log(`${what}: ${file} ${args.join(' ')}`);
    const result = await this.shell(file, args);
    for (const line of result.output.split('\n').filter(Boolean).slice(-40)) log(`  ${line}`);
    if (result.exitCode !== 0) throw new Error(`${what} failed (exit ${result.exitCode}): ${result.output.split('\n').filter(Boolean).slice(-3).join(' / ')}`);
  }

  private async reset(log: (m: string) => void): Promise<void> {
    if (this.props.keepObservability) {
      await this.step(log, 'restart the CMS services (observability kept)', 'docker', ['restart', ...SERVICE_NAMES]);
      return;
    }
    const stateful = ['prometheus', 'loki', 'tempo'] as const;
    await this.step(log, 'remove the observability state', 'docker', ['rm', '-f', ...stateful, 'otel-collector']);
    await this.step(log, 'remove the observability volumes', 'docker', ['volume', 'rm', '-f', ...stateful.map((c) => dataVolumeName(this.lab, c))]);
    await this.step(log, 'recreate them', 'npx', ['cdktf', 'deploy', 'lab', '--auto-approve']);
    await this.step(log, 'restart the CMS services', 'docker', ['restart', ...SERVICE_NAMES]);
  }

  /** Seconds until `probe` holds, or undefined when it did not within `timeoutMs`. */
  private async gate(timeoutMs: number, signal: AbortSignal | undefined, probe: () => Promise<boolean>): Promise<number | undefined> {
    const began = Date.now();
    while (Date.now() - began < timeoutMs) {
      signal?.throwIfAborted();
      if (await probe().catch(() => false)) return (Date.now() - began) / 1000;
      await sleep(this.pollMs);
    }
    return undefined;
  }

  async runScenario(spec: ScenarioSpec, hooks: RunHooks): Promise<ManifestationRecord> {
    const injectLog: string[] = [];
    const cleanupLog: string[] = [];
    let phase = injectLog;
    const log = (m: string) => {
      phase.push(`${new Date().toISOString()} ${m}`);
      hooks.log(m);
    };
    const budget = budgetOf(spec, this.lab);
    const rule = alertRule(spec.expectedAlerts[0]);
    const seen = new Set<string>();
    const watch = async () => {
      for (const a of await this.probe.firingAlerts().catch(() => [])) seen.add(a);
      return seen;
    };
    let valid = false;
    let firedAfterS: number | undefined;
    let resolvedAfterS: number | undefined;
    let steadyAfterS: number | undefined;
    let injected = false;
    try {
      await this.reset(log);
      const baseline = await this.gate(180_000, hooks.signal, async () => (await this.probe.steady()) && (await this.probe.firingAlerts()).length === 0);
      if (baseline === undefined) throw new Error('the lab did not reach its healthy baseline within 180 s (every target up, sensors publishing, 3 tracks, no alert firing)');
      log(`baseline healthy; injecting: cdktf deploy scenario-${spec.name}`);
      const injectedAt = Date.now();
      injected = true;
      await this.step(log, 'inject', 'npx', ['cdktf', 'deploy', `scenario-${spec.name}`, '--auto-approve']);
      let notification: GrafanaNotification | undefined;
      let source: 'grafana-webhook' | 'rendered-fallback' = 'grafana-webhook';
      let allFiringSince: number | undefined;
      while ((Date.now() - injectedAt) / 1000 <= budget.budgetS) {
        hooks.signal?.throwIfAborted();
        const firing = await watch();
        notification ??= (await this.probe.notifications(injectedAt).catch(() => [])).find((n) => n.status === 'firing' && n.alerts.some((a) => a.labels.alertname === rule.title));
        if (spec.expectedAlerts.every((uid) => firing.has(alertRule(uid).title))) {
          allFiringSince ??= Date.now();
          firedAfterS ??= (allFiringSince - injectedAt) / 1000;
          if (!notification && Date.now() - allFiringSince > this.notificationWaitMs) {
            // Grafana's contact point did not deliver: hand over the rendered payload of the same rule, said so in the record
            notification = scenarioAlert(spec, this.lab, new Date(allFiringSince).toISOString());
            source = 'rendered-fallback';
          }
          if (notification) {
            valid = true;
            break;
          }
        }
        await sleep(this.pollMs);
      }
      if (valid && notification) {
        log(`${rule.title} firing after ${firedAfterS?.toFixed(1)} s; ${source === 'grafana-webhook' ? "Grafana's notification received" : `no notification from Grafana within ${this.notificationWaitMs / 1000} s: handing over the rendered alert.json`}`);
        try {
          // OpenSRE only uses its Grafana tools for alerts that say they come from Grafana; the one field added to the real payload
          await hooks.onFiring({ notification: { ...notification, alert_source: 'grafana' }, notificationSource: source, access: this.access() });
        } finally {
          phase = cleanupLog;
        }
      } else {
        log(`INVALID: ${spec.expectedAlerts.join(', ')} not firing with a notification within ${budget.budgetS} s`);
      }
    } finally {
      phase = cleanupLog;
      if (injected) {
        // the fault is removed whatever happened above, an abort included
        const destroy = await this.shell('npx', ['cdktf', 'destroy', `scenario-${spec.name}`, '--auto-approve']);
        log(`cleanup: cdktf destroy scenario-${spec.name} (exit ${destroy.exitCode})`);
        for (const line of destroy.output.split('\n').filter(Boolean).slice(-20)) log(`  ${line}`);
      }
    }
    const revertedAt = Date.now();
    steadyAfterS = await this.gate(budget.recoveryS * 1000, hooks.signal, async () => {
      const firing = await this.probe.firingAlerts();
      if (resolvedAfterS === undefined && !spec.expectedAlerts.some((uid) => firing.includes(alertRule(uid).title))) resolvedAfterS = (Date.now() - revertedAt) / 1000;
      return resolvedAfterS !== undefined && (await this.probe.steady());
    });
    log(steadyAfterS === undefined ? `not recovered within ${budget.recoveryS} s` : `recovered after ${steadyAfterS.toFixed(1)} s`);
    const allowed = new Set([...spec.expectedAlerts, ...spec.allowedAlerts].map((uid) => alertRule(uid).title));
    const residue = this.deployedScenarioStacks().map((s) => `${s} still deployed`);
    return { valid, firedAfterS, firedAlerts: [...seen].sort(), unexpectedAlerts: [...seen].filter((a) => !allowed.has(a)).sort(), resolvedAfterS, steadyAfterS, residue, injectLog, cleanupLog };
  }

  async runControl(watchS: number, hooks: RunHooks): Promise<ManifestationRecord> {
    const injectLog: string[] = [];
    const log = (m: string) => {
      injectLog.push(`${new Date().toISOString()} ${m}`);
      hooks.log(m);
    };
    await this.reset(log);
    const baseline = await this.gate(180_000, hooks.signal, async () => (await this.probe.steady()) && (await this.probe.firingAlerts()).length === 0);
    if (baseline === undefined) throw new Error('the lab did not reach its healthy baseline within 180 s');
    log(`baseline healthy; watching ${watchS} s without a fault`);
    const seen = new Set<string>();
    const began = Date.now();
    while ((Date.now() - began) / 1000 < watchS) {
      hooks.signal?.throwIfAborted();
      for (const a of await this.probe.firingAlerts().catch(() => [])) seen.add(a);
      await sleep(this.pollMs);
    }
    await hooks.onFiring({ notification: controlAlert(this.lab, new Date(Date.now() - 60_000).toISOString()), notificationSource: 'control-page', access: this.access() });
    return { valid: true, firedAlerts: [...seen].sort(), unexpectedAlerts: [...seen].sort(), residue: [], injectLog, cleanupLog: [`${new Date().toISOString()} control: nothing to clean up (the spurious page was ${CONTROL.alertRule})`] };
  }
}

/** cdktf's default local backend keeps each stack's state at terraform.<stack>.tfstate in the project. */
function scenarioStateFiles(root: string): string[] {
  return readdirSync(root)
    .filter((f) => /^terraform\.scenario-[a-z0-9-]+\.tfstate$/.test(f))
    .map((f) => path.join(root, f));
}
