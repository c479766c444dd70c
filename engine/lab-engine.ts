/**
 * The Docker lab on an engine without Terraform providers: the stacks
 * synthesized into `cdktf.out` exactly as `cdktf synth` writes them, the
 * stand-in images, and the applier, with the one adaptation this needs —
 * the lab's Prometheus evaluates the lab's alert rules (rendered as for the
 * native harness), because Grafana, which evaluates them in the stack,
 * cannot run here.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { App } from 'cdktf';
import { ROOT_FROM_STACK_DIR } from '../constructs/host-tool';
import { PROMETHEUS_CONFIG_PATH } from '../constructs/prometheus';
import { type LabModel, buildLabModel } from '../model/lab';
import { prometheusConfig, prometheusRules, toYaml } from '../model/render/prometheus';
import { projectRoot } from '../services/runtime/paths';
import { defineStacks, stackNames } from '../stacks/app';
import { hostPaths } from '../lib/host-paths';
import { type ApplyReport, type DestroyReport, applyStack, destroyStack } from './applier';
import type { ContainerPlan } from './attribute-map';
import type { DockerApi } from './docker-api';

/** Where the Prometheus container finds the lab's alert rules on this engine. */
export const ALERT_RULES_PATH = '/etc/prometheus/cms-alert-rules.yml';

/**
 * Where the stacks are synthesized: `cdktf.out` in the checkout, or the
 * folder CMS_LAB_SYNTH_DIR names — also directly in the checkout, since the
 * stacks reach the checkout as `../../..` from their folder. An engine lane
 * synthesizes into its own: the lab stack holds its home's secret paths.
 */
export function synthDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const root = projectRoot();
  if (!env.CMS_LAB_SYNTH_DIR) return path.join(root, 'cdktf.out');
  const dir = path.resolve(root, env.CMS_LAB_SYNTH_DIR);
  if (path.dirname(dir) !== root) throw new Error(`CMS_LAB_SYNTH_DIR=${env.CMS_LAB_SYNTH_DIR}: must be a folder directly in the checkout (${root}), since the stacks reach it as ${ROOT_FROM_STACK_DIR} from their folder`);
  return dir;
}

export function stackDir(stack: string): string {
  return path.join(synthDir(), 'stacks', stack);
}

/** The applier's state: outside the checkout, so a stack applied from one checkout is destroyed from another. */
export function engineStateDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.CMS_LAB_ENGINE_STATE ? path.resolve(env.CMS_LAB_ENGINE_STATE) : path.join(hostPaths(env).home, 'engine-state');
}

/**
 * Synthesizes every stack into cdktf.out, as `cdktf synth` does (the same App
 * definition as main.ts). @param outdir another checkout's cdktf.out: the
 * stacks hold no path of this one, so the JSON is the same
 */
export function synthStacks(lab: LabModel = buildLabModel(), outdir: string = synthDir()): string[] {
  // Synthesized beside the target, at the same depth (the stacks' relative paths stay the same), then moved in
  // file by file: a rename is atomic, so a runner that reads or runs a stack while another synthesizes the
  // same stacks never sees half a file.
  mkdirSync(path.dirname(outdir), { recursive: true });
  const staging = mkdtempSync(path.join(path.dirname(outdir), `.${path.basename(outdir)}-`));
  try {
    const app = new App({ outdir: staging });
    defineStacks(app, lab, hostPaths());
    app.synth();
    moveFilesInto(staging, outdir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return stackNames();
}

function moveFilesInto(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) moveFilesInto(path.join(from, entry.name), path.join(to, entry.name));
    else renameSync(path.join(from, entry.name), path.join(to, entry.name));
  }
}

/** The stack's Prometheus config with the lab's rules added, refusing a config that is not the model's. */
export function prometheusAlertingUploads(lab: LabModel): (container: string, uploads: ContainerPlan['uploads']) => ContainerPlan['uploads'] {
  return (container, uploads) => {
    if (container !== 'prometheus') return uploads;
    const config = uploads.find((u) => u.file === PROMETHEUS_CONFIG_PATH);
    if (!config || config.content !== toYaml(prometheusConfig(lab))) {
      throw new Error(`the prometheus container's ${PROMETHEUS_CONFIG_PATH} is not the configuration the lab model renders: synthesize the stacks again`);
    }
    return [
      ...uploads.filter((u) => u !== config),
      { ...config, content: toYaml(prometheusConfig(lab, { ruleFiles: [ALERT_RULES_PATH] })) },
      { file: ALERT_RULES_PATH, content: toYaml(prometheusRules(lab)), mode: 0o644 },
    ];
  };
}

export interface EngineOptions {
  readonly lab?: LabModel;
  readonly log?: (line: string) => void;
  /** @default engineStateDir() */
  readonly stateDir?: string;
  /** @default the engine at DOCKER_HOST */
  readonly api?: DockerApi;
}

export async function applyOnEngine(stack: string, options: EngineOptions = {}): Promise<ApplyReport> {
  const lab = options.lab ?? buildLabModel();
  if (!stackNames().includes(stack)) throw new Error(`unknown stack '${stack}'; valid stacks: ${stackNames().join(', ')}`);
  return applyStack({
    stackDir: stackDir(stack),
    stateDir: options.stateDir ?? engineStateDir(),
    api: options.api,
    log: options.log,
    extraUploads: prometheusAlertingUploads(lab),
    // this engine runs without the default bridge; builds reach the package registries through the host's network
    buildNetwork: 'host',
  });
}

export async function destroyOnEngine(stack: string, options: EngineOptions = {}): Promise<DestroyReport> {
  if (!stackNames().includes(stack)) throw new Error(`unknown stack '${stack}'; valid stacks: ${stackNames().join(', ')}`);
  return destroyStack({ stackDir: stackDir(stack), stateDir: options.stateDir ?? engineStateDir(), api: options.api, log: options.log });
}

/** Builds (or reuses) the stand-in base images; returns the script's `<tag> built|reused` lines. */
export async function buildStandIns(): Promise<string[]> {
  const script = path.join(projectRoot(), 'engine', 'standins', 'build.sh');
  const { stdout } = await promisify(execFile)('bash', [script], { maxBuffer: 16 * 1024 * 1024, timeout: 20 * 60_000 });
  return stdout.split('\n').filter(Boolean);
}
