/**
 * Debian's Prometheus evaluating the lab's own scrape config and alert rules
 * against a native lab: the same rendered files as the Docker lab, with only
 * the target addresses remapped (every label, `instance` included, kept).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabModel } from '../model/lab';
import { prometheusConfig, prometheusRules, toYaml } from '../model/render/prometheus';
import type { NativeLab } from './native-lab';
import { waitFor } from '../lib/wait';
import { freePort } from './free-port';
import { PrometheusClient } from './prometheus-client';

export type { PromAlert } from './prometheus-client';

export class NativePrometheus extends PrometheusClient {
  private child?: ChildProcess;
  private readonly output: string[] = [];

  constructor(
    private readonly lab: LabModel,
    private readonly native: NativeLab,
  ) {
    super();
  }

  async start(): Promise<void> {
    const dir = path.join(this.native.workDir, 'prometheus');
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    writeFileSync(path.join(dir, 'rules.yml'), toYaml(prometheusRules(this.lab)));
    const config = prometheusConfig(this.lab, {
      ruleFiles: [path.join(dir, 'rules.yml')],
      includeInfrastructure: false,
      targetAddress: (service) => this.native.scrapeAddress(service),
    });
    writeFileSync(path.join(dir, 'prometheus.yml'), toYaml(config));
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-lifecycle',
        '--log.level=warn',
      ],
      // the lab marker lets a later run find and stop a Prometheus a killed harness left behind
      { env: { ...process.env, CMS_NATIVE_LAB: this.native.name }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.once('error', (error) => this.output.push(`cannot start prometheus (install Debian's prometheus package): ${error.message}`));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.output.push(chunk));
    await waitFor(
      'Prometheus ready',
      async () => {
        if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) throw new Error(`prometheus exited: ${this.output.join('').slice(-500)}`);
        return (await fetch(`${this.url}/-/ready`)).ok;
      },
      30_000,
    );
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child?.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
