/**
 * Applies and destroys a synthesized stack's Docker resources on a real
 * engine where `cdktf deploy` cannot run (no Terraform providers here). It
 * reads the stack's `cdk.tf.json`, maps every attribute through
 * `attribute-map.ts` (refusing any it has no mapping for), creates the
 * resources in dependency order as kreuzwerker/docker 3.6.2 would, runs the
 * null_resource local-exec provisioners as Terraform does (`/bin/sh -c` in
 * the stack's folder, destroy-time ones with `self.triggers` from state),
 * and keeps its own state so that a later destroy — from this checkout or
 * another — removes exactly what it created.
 *
 * What it cannot run here it says so, and never fakes: containers whose
 * image can neither be found, pulled nor stood in for, images whose base is
 * missing, every grafana_* resource (no provider), and the null_resources
 * that wait on any of those.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CONTAINER_ATTRIBUTES,
  type ContainerPlan,
  IMAGE_ATTRIBUTES,
  type ImagePlan,
  NETWORK_ATTRIBUTES,
  NULL_RESOURCE_ATTRIBUTES,
  type NetworkPlan,
  type NullResourcePlan,
  VOLUME_ATTRIBUTES,
  type VolumePlan,
  emptyContainerPlan,
  emptyNetworkPlan,
  mapAttributes,
} from './attribute-map';
import { type DockerApi, DockerApiError, dockerApi, inspectOrAbsent, tarOneFile, tolerating } from './docker-api';
import { type ImageResolution, resolveImage } from './images';
import { sleep } from '../lib/wait';

/** Containers the applier could not run on this engine, for the stacks' own checks (`lab-status check-up`). */
export const NOT_RUN_ENV = 'CMS_LAB_NOT_RUN_HERE';

type Obj = Record<string, unknown>;

export interface StateEntry {
  readonly address: string;
  readonly type: string;
  /** Engine id or name of what was created; absent when not run. */
  readonly id?: string;
  readonly name?: string;
  readonly notRun?: string;
  /** null_resource: triggers and destroy-time commands, as Terraform keeps them in its state. */
  readonly triggers?: Record<string, string>;
  readonly destroyCommands?: string[];
  readonly keepLocally?: boolean;
  /** docker_image built here: what it was built from (its build block, resolved build arguments, the stand-ins' image ids and triggers), so an unchanged one is not rebuilt. */
  readonly built?: { readonly build: ImagePlan['build']; readonly args: Record<string, string>; readonly bases: string[]; readonly triggers: Record<string, string> };
  /** docker_container: the plan it was created from (the declared state, for drift checks). */
  readonly plan?: ContainerPlan;
  readonly standIns?: ImageResolution[];
}

/** What the applier writes into each state file, to tell its state from Terraform's. */
export const APPLIED_BY = 'cms-lab engine applier';

export interface StackState {
  readonly stack: string;
  readonly appliedBy: typeof APPLIED_BY;
  readonly resources: StateEntry[];
}

export interface ApplierOptions {
  /** The stack's synthesized folder (`cdktf.out/stacks/<stack>`): commands run here, as under Terraform. */
  readonly stackDir: string;
  /** Folder holding the applier's state, one file per stack. */
  readonly stateDir: string;
  /** @default the engine at DOCKER_HOST */
  readonly api?: DockerApi;
  /** Progress lines. @default stdout */
  readonly log?: (line: string) => void;
  /**
   * Extra files for a container, on top of the stack's uploads — how the lab's
   * Prometheus gets its alert rules where Grafana, which evaluates them in the
   * stack, cannot run. @default none
   */
  readonly extraUploads?: (container: string, uploads: ContainerPlan['uploads']) => ContainerPlan['uploads'];
  /** Network for `docker build` (`host` where the engine has no default bridge). @default the engine's default */
  readonly buildNetwork?: string;
  /** Seconds a provisioner may run. @default 900 */
  readonly commandTimeoutS?: number;
}

export interface ApplyReport {
  readonly stack: string;
  readonly applied: string[];
  readonly unchanged: string[];
  readonly notRun: Array<{ address: string; reason: string }>;
  readonly standIns: ImageResolution[];
}

interface StackJson {
  resource?: Record<string, Record<string, Obj>>;
  data?: Record<string, unknown>;
  provider?: Record<string, unknown[]>;
}

const SUPPORTED_TYPES = new Set(['docker_network', 'docker_volume', 'docker_image', 'docker_container', 'null_resource']);

function stackNameOf(stackDir: string): string {
  return path.basename(path.resolve(stackDir));
}

export function stateFile(stateDir: string, stack: string): string {
  return path.join(stateDir, `${stack}.json`);
}

export function readState(stateDir: string, stack: string): StackState | undefined {
  const file = stateFile(stateDir, stack);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StackState) : undefined;
}

export function writeState(stateDir: string, state: StackState): void {
  mkdirSync(stateDir, { recursive: true });
  const file = stateFile(stateDir, state.stack);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Containers no stack in the state folder could run here (their images cannot be had). */
export function notRunContainers(stateDir: string): string[] {
  if (!existsSync(stateDir)) return [];
  const names = new Set<string>();
  for (const file of readdirSync(stateDir).filter((f) => f.endsWith('.json'))) {
    const state = JSON.parse(readFileSync(path.join(stateDir, file), 'utf8')) as StackState;
    for (const r of state.resources) if (r.type === 'docker_container' && r.notRun && r.name) names.add(r.name);
  }
  return [...names].sort();
}

export function loadStack(stackDir: string): StackJson {
  const file = path.join(stackDir, 'cdk.tf.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: run 'npx cdktf synth' first`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as StackJson;
  for (const [name, configs] of Object.entries(json.provider ?? {})) {
    if (name === 'docker' && configs.some((c) => Object.keys(c as Obj).some((k) => k !== 'host'))) throw new Error(`${file}: docker provider settings other than host have no mapping in the applier`);
  }
  if (json.data && Object.keys(json.data).length) throw new Error(`${file}: data sources (${Object.keys(json.data).join(', ')}) have no mapping in the applier`);
  return json;
}

const REF = /^\$\{([a-z_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;

/** Every `type.name` a value refers to through `${…}`. */
function references(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\$\{([a-z_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}/g)) if (m[1] !== 'self') out.add(`${m[1]}.${m[2]}`);
  } else if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => references(v, out));
  return out;
}

/** Dependency order: depends_on plus references, stable by declaration. */
export function applyOrder(json: StackJson): Array<{ address: string; type: string; body: Obj }> {
  const all = new Map<string, { address: string; type: string; body: Obj }>();
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(resources)) all.set(`${type}.${name}`, { address: `${type}.${name}`, type, body });
  }
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: Array<{ address: string; type: string; body: Obj }> = [];
  const visit = (address: string): void => {
    if (done.has(address)) return;
    if (visiting.has(address)) throw new Error(`dependency cycle through ${address}`);
    const r = all.get(address);
    if (!r) throw new Error(`a resource refers to ${address}, which the stack does not declare`);
    visiting.add(address);
    dependenciesOf(r.body).forEach(visit);
    visiting.delete(address);
    done.add(address);
    order.push(r);
  };
  [...all.keys()].forEach(visit);
  return order;
}

/** Resolves `${type.name.attr}` references to what this apply created; refuses any other expression. */
function resolveRefs(value: unknown, created: Map<string, StateEntry>, address: string): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    // pathexpand("~/…"): home-relative host paths, expanded on this host at plan time as Terraform does
    const home = /^\$\{pathexpand\("(~\/[^"\\]*)"\)\}$/.exec(value);
    if (home) return path.join(os.homedir(), home[1].slice(2));
    const m = REF.exec(value);
    if (!m || m[1] === 'self') throw new Error(`${address}: the expression '${value}' has no evaluation in the applier`);
    const target = created.get(`${m[1]}.${m[2]}`);
    if (!target) throw new Error(`${address}: ${m[1]}.${m[2]} was not created`);
    if (m[3] === 'image_id' || m[3] === 'id') return target.id;
    if (m[3] === 'name') return target.name;
    throw new Error(`${address}: attribute ${m[3]} of ${m[1]} has no evaluation in the applier`);
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, created, address));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'provisioner' ? v : resolveRefs(v, created, address)]));
  return value;
}

/** `${self.triggers.<key>}` inside a provisioner command. */
export function interpolateSelf(command: string, triggers: Record<string, string>, address: string): string {
  return command.replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
    const m = /^self\.triggers\.([A-Za-z0-9_-]+)$/.exec(expr.trim());
    if (!m) throw new Error(`${address}: the provisioner expression '\${${expr}}' has no evaluation in the applier`);
    if (!(m[1] in triggers)) throw new Error(`${address}: self.triggers.${m[1]} is not set`);
    return triggers[m[1]];
  });
}

function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutS: number, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        log(`    | ${line}`);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`local-exec '${command}' failed (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`));
    });
  });
}

async function containerExists(api: DockerApi, name: string): Promise<boolean> {
  return (await inspectOrAbsent(api, `/containers/${encodeURIComponent(name)}/json`)) !== undefined;
}

interface ContainerInspect {
  Id: string;
  State: { Status: string; ExitCode: number; Health?: { Status: string; Log?: Array<{ Output: string }> } };
}

/** ContainerStart's `wait`: poll until healthy, as the provider does, failing early when the container exits. */
async function waitHealthy(api: DockerApi, id: string, name: string, timeoutS: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const info = await api.call<ContainerInspect>('GET', `/containers/${id}/json`);
    if (!info.State.Health) throw new Error(`${name}: 'wait' is set but the container has no health check`);
    if (info.State.Health.Status === 'healthy') return;
    if (info.State.Status === 'exited' || info.State.Status === 'dead') throw new Error(`${name} exited (code ${info.State.ExitCode}) before it became healthy: see docker logs ${name}`);
    if (Date.now() > deadline) {
      const last = info.State.Health.Log?.at(-1)?.Output.trim() ?? '';
      throw new Error(`${name} failed to be in healthy state within ${timeoutS} s (last probe: ${last || 'none'})`);
    }
    await sleep(1000);
  }
}

/** ContainerCreate → disconnect the default bridge → NetworkConnect each network → CopyToContainer → ContainerStart → wait. */
export async function createContainer(api: DockerApi, plan: ContainerPlan, onCreated: (id: string) => void = () => undefined): Promise<string> {
  const created = await api.call<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(plan.name)}`, { ...plan.config, HostConfig: plan.hostConfig });
  // recorded before it is started: a container that then fails its health check is still destroyed with the stack
  onCreated(created.Id);
  if (plan.networks.length) {
    try {
      await api.call('POST', '/networks/bridge/disconnect', { Container: created.Id, Force: false });
    } catch {
      // "is not connected to the network bridge" (or no default bridge at all): ignorable, as in the provider
    }
    for (const n of plan.networks) {
      await api.call('POST', `/networks/${encodeURIComponent(n.name)}/connect`, {
        Container: created.Id,
        EndpointConfig: { Aliases: n.aliases, IPAMConfig: n.ipv4Address ? { IPv4Address: n.ipv4Address } : {} },
      });
    }
  }
  for (const u of plan.uploads) await api.call('PUT', `/containers/${created.Id}/archive?path=%2F`, undefined, { raw: tarOneFile(u.file, u.content, u.mode) });
  await api.call('POST', `/containers/${created.Id}/start`);
  if (plan.wait) await waitHealthy(api, created.Id, plan.name, plan.waitTimeoutS);
  return created.Id;
}

/** Builds a docker_image the way the provider's build does, through the docker CLI. */
function buildImage(plan: ImagePlan, stackDir: string, buildArgs: Record<string, string>, network: string | undefined, log: (line: string) => void, timeoutS: number): Promise<void> {
  const b = plan.build!;
  const context = path.resolve(stackDir, b.context);
  const args = ['build', '-q', '--force-rm', '-f', path.join(context, b.dockerfile)];
  for (const t of [plan.name, ...b.tags]) args.push('-t', t);
  for (const [k, v] of Object.entries(b.labels)) args.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries({ ...b.buildArgs, ...buildArgs })) args.push('--build-arg', `${k}=${v}`);
  if (network) args.push('--network', network);
  args.push(context);
  const quoted = args.map((a) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return runCommand(`docker ${quoted}`, stackDir, { ...process.env, DOCKER_BUILDKIT: '0' }, timeoutS, log);
}

/** The base images a Dockerfile starts FROM, with the ARG that names each (when one does). */
export function dockerfileBases(dockerfile: string, buildArgs: Record<string, string>): Array<{ image: string; arg?: string }> {
  const defaults: Record<string, string> = {};
  const stages = new Set<string>();
  const bases: Array<{ image: string; arg?: string }> = [];
  let seenFrom = false;
  for (const raw of dockerfile.split('\n')) {
    const line = raw.trim();
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S+))?/i.exec(line);
    if (arg && !seenFrom) defaults[arg[1]] = arg[2] ?? '';
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      seenFrom = true;
      const ref = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(from[1]);
      const image = ref ? (buildArgs[ref[1]] ?? defaults[ref[1]] ?? '') : from[1];
      if (!stages.has(image) && !bases.some((b) => b.image === image)) bases.push({ image, arg: ref?.[1] });
      if (from[2]) stages.add(from[2]);
    }
  }
  return bases;
}

function dependenciesOf(body: Obj): string[] {
  return [...new Set([...((body.depends_on as string[] | undefined) ?? []), ...references(body, new Set())])];
}

interface Availability {
  /** Why a resource cannot run on this engine; absent when it can. */
  readonly notRun: Map<string, string>;
  /** Image resolutions: a container's image, or an image build's FROM bases (with the ARG naming each). */
  readonly images: Map<string, ImageResolution>;
  readonly buildArgs: Map<string, { args: Record<string, string>; standIns: ImageResolution[] }>;
}

/**
 * Decides, before anything is created, what cannot run here: grafana_*
 * resources; images that can be neither found, pulled nor stood in for (and
 * builds whose base cannot be); containers on such images; null_resources
 * that wait on any of those; and null_resources that only gate resources
 * which cannot run here (the Ollama model check of an agent whose image
 * cannot be built).
 */
async function availability(api: DockerApi, order: ReturnType<typeof applyOrder>, stackDir: string): Promise<Availability> {
  const notRun = new Map<string, string>();
  const images = new Map<string, ImageResolution>();
  const buildArgs = new Map<string, { args: Record<string, string>; standIns: ImageResolution[] }>();
  for (const { address, type, body } of order) {
    const blocked = dependenciesOf(body).filter((d) => notRun.has(d));
    if (type.startsWith('grafana_')) notRun.set(address, 'Grafana resource: the grafana provider and Grafana cannot run here');
    else if (!SUPPORTED_TYPES.has(type)) throw new Error(`${address}: resource type ${type} has no mapping in the applier`);
    else if (type === 'null_resource') {
      if (blocked.length) notRun.set(address, `waits on ${blocked.join(', ')}, not run here`);
    } else if (type === 'docker_image') {
      const plan = mapAttributes<ImagePlan>(IMAGE_ATTRIBUTES, body, { name: '', keepLocally: false, triggers: {} }, address);
      if (!plan.build) {
        const image = await resolveImage(api, plan.name);
        if (image) images.set(address, image);
        else notRun.set(address, `image ${plan.name} cannot be pulled and has no stand-in`);
        continue;
      }
      const dockerfile = readFileSync(path.join(path.resolve(stackDir, plan.build.context), plan.build.dockerfile), 'utf8');
      const resolved = { args: {} as Record<string, string>, standIns: [] as ImageResolution[] };
      for (const base of dockerfileBases(dockerfile, plan.build.buildArgs)) {
        const image = base.image ? await resolveImage(api, base.image) : undefined;
        if (!image) {
          notRun.set(address, `base image ${base.image || '(unset)'} of ${plan.build.dockerfile} cannot be pulled and has no stand-in`);
          break;
        }
        if (image.standIn && !base.arg) {
          notRun.set(address, `base image ${base.image} is named literally in ${plan.build.dockerfile}, so no stand-in can replace it`);
          break;
        }
        if (image.standIn && base.arg) {
          resolved.args[base.arg] = image.standIn;
          resolved.standIns.push(image);
        }
      }
      buildArgs.set(address, resolved);
    } else if (type === 'docker_container') {
      const imageRef = body.image;
      const imageBlock = blocked.filter((d) => d.startsWith('docker_image.'));
      if (imageBlock.length) notRun.set(address, `its image (${imageBlock.join(', ')}) is not run here`);
      else if (typeof imageRef === 'string' && !imageRef.includes('${')) {
        const image = await resolveImage(api, imageRef);
        if (image) images.set(address, image);
        else notRun.set(address, `image ${imageRef} cannot be pulled and has no stand-in`);
      }
    }
  }
  // a check that gates only what cannot run here is moot here
  for (const { address, type } of [...order].reverse()) {
    if (type !== 'null_resource' || notRun.has(address)) continue;
    const dependents = order.filter((r) => dependenciesOf(r.body).includes(address)).map((r) => r.address);
    if (dependents.length && dependents.every((d) => notRun.has(d))) notRun.set(address, `it only gates ${dependents.join(', ')}, not run here`);
  }
  return { notRun, images, buildArgs };
}

export async function applyStack(options: ApplierOptions): Promise<ApplyReport> {
  const api = options.api ?? dockerApi();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stack = stackNameOf(options.stackDir);
  const json = loadStack(options.stackDir);
  const order = applyOrder(json);
  const previous = new Map((readState(options.stateDir, stack)?.resources ?? []).map((r) => [r.address, r]));
  const resources: StateEntry[] = [];
  const created = new Map<string, StateEntry>();
  const report: ApplyReport = { stack, applied: [], unchanged: [], notRun: [], standIns: [] };
  const timeoutS = options.commandTimeoutS ?? 900;
  const save = () => writeState(options.stateDir, { stack, appliedBy: APPLIED_BY, resources });
  const record = (entry: StateEntry) => {
    resources.push(entry);
    created.set(entry.address, entry);
    save();
  };

  log(`applier: ${stack} (${order.length} resources) on the Docker engine`);
  const available = await availability(api, order, options.stackDir);
  for (const { address, type, body } of order) {
    const reason = available.notRun.get(address);
    if (reason) {
      const name = type === 'docker_container' ? String(body.name) : undefined;
      log(`  - ${address}: not run here (${reason})`);
      report.notRun.push({ address, reason });
      record({ address, type, notRun: reason, name });
      continue;
    }
    const skippedDeps = dependenciesOf(body).filter((d) => available.notRun.has(d));
    const before = previous.get(address);

    if (type === 'null_resource') {
      const plan = mapAttributes<NullResourcePlan>(NULL_RESOURCE_ATTRIBUTES, body, { triggers: {}, provisioners: [] }, address);
      const destroyCommands = plan.provisioners.filter((p) => p.when === 'destroy').map((p) => p.command);
      if (before && !before.notRun && JSON.stringify(before.triggers) === JSON.stringify(plan.triggers)) {
        report.unchanged.push(address);
        record(before);
        continue;
      }
      const notRunHere = [...new Set([...notRunContainers(options.stateDir), ...resources.filter((r) => r.notRun && r.name).map((r) => r.name!)])];
      const env = { ...process.env, [NOT_RUN_ENV]: notRunHere.join(',') };
      for (const p of plan.provisioners.filter((x) => x.when === 'create')) {
        const command = interpolateSelf(p.command, plan.triggers, address);
        log(`  + ${address}: local-exec ${command.length > 140 ? `${command.slice(0, 140)}…` : command}`);
        await runCommand(command, options.stackDir, env, timeoutS, log);
      }
      report.applied.push(address);
      record({ address, type, triggers: plan.triggers, destroyCommands });
      continue;
    }

    const resolved = resolveRefs(body, created, address) as Obj;
    if (type === 'docker_network') {
      const plan = mapAttributes<NetworkPlan>(NETWORK_ATTRIBUTES, resolved, emptyNetworkPlan(), address);
      const existing = await api.call<Array<{ Id: string; Name: string }>>('GET', `/networks?filters=${encodeURIComponent(JSON.stringify({ name: [plan.name] }))}`);
      const same = existing.find((n) => n.Name === plan.name);
      if (same && before) {
        report.unchanged.push(address);
        record({ address, type, id: same.Id, name: plan.name });
        continue;
      }
      if (same) throw new Error(`${address}: a network named ${plan.name} already exists and this stack did not create it: remove it, or destroy the lab that owns it`);
      const out = await api.call<{ Id: string }>('POST', '/networks/create', { Name: plan.name, CheckDuplicate: true, ...plan.body });
      log(`  + ${address}: network ${plan.name}`);
      report.applied.push(address);
      record({ address, type, id: out.Id, name: plan.name });
    } else if (type === 'docker_volume') {
      const plan = mapAttributes<VolumePlan>(VOLUME_ATTRIBUTES, resolved, { name: '', body: {} }, address);
      await api.call('POST', '/volumes/create', { Name: plan.name, ...plan.body });
      log(`  + ${address}: volume ${plan.name}`);
      report.applied.push(address);
      record({ address, type, id: plan.name, name: plan.name });
    } else if (type === 'docker_image') {
      const plan = mapAttributes<ImagePlan>(IMAGE_ATTRIBUTES, resolved, { name: '', keepLocally: false, triggers: {} }, address);
      if (!plan.build) {
        const image = available.images.get(address)!;
        if (image.standIn) report.standIns.push(image);
        record({ address, type, id: image.id, name: plan.name, keepLocally: plan.keepLocally, standIns: image.standIn ? [image] : [] });
        continue;
      }
      const { args, standIns } = available.buildArgs.get(address)!;
      const built = { build: plan.build, args, bases: standIns.map((x) => x.id), triggers: plan.triggers };
      // as the provider: an image built from the same build, bases and triggers, still in the engine, is not built again
      if (before?.built && before.id && JSON.stringify(before.built) === JSON.stringify(built) && (await inspectOrAbsent(api, `/images/${encodeURIComponent(before.id)}/json`))) {
        report.unchanged.push(address);
        report.standIns.push(...standIns);
        record({ ...before, keepLocally: plan.keepLocally, standIns });
        continue;
      }
      log(`  + ${address}: build ${plan.name}${standIns.length ? ` on stand-in ${standIns.map((x) => `${x.standIn} for ${x.requested}`).join(', ')}` : ''}`);
      await buildImage(plan, options.stackDir, args, options.buildNetwork, log, timeoutS);
      const id = (await api.call<{ Id: string }>('GET', `/images/${encodeURIComponent(plan.name)}/json`)).Id;
      report.applied.push(address);
      report.standIns.push(...standIns);
      record({ address, type, id, name: plan.name, keepLocally: plan.keepLocally, standIns, built });
    } else {
      const plan = mapAttributes<ContainerPlan>(CONTAINER_ATTRIBUTES, resolved, emptyContainerPlan(), address);
      const image = available.images.get(address);
      if (image?.standIn) {
        plan.config.Image = image.standIn;
        report.standIns.push(image);
      }
      if (options.extraUploads) plan.uploads = options.extraUploads(plan.name, plan.uploads);
      const exists = await containerExists(api, plan.name);
      if (before && !before.notRun && exists && JSON.stringify(before.plan) === JSON.stringify(plan)) {
        report.unchanged.push(address);
        record(before);
        continue;
      }
      if (exists) throw new Error(`${address}: a container named ${plan.name} already exists and this stack did not create it: remove it, or destroy the stack that owns it`);
      log(`  + ${address}: container ${plan.name}${skippedDeps.length ? ` (in the stack it waits on ${skippedDeps.join(', ')}, not run here)` : ''}`);
      await createContainer(api, plan, (id) => record({ address, type, id, name: plan.name, plan, standIns: image?.standIn ? [image] : [] }));
      report.applied.push(address);
    }
  }
  save();
  return report;
}

export interface DestroyReport {
  readonly stack: string;
  readonly destroyed: string[];
}

/**
 * Removes a network, as destroy wants it (already gone is fine). The engine
 * may refuse with "has active endpoints" just after its last container went;
 * Docker 20.10 can also keep a leaked endpoint count with no container
 * attached at all (moby/moby#42119, seen here once in a bench's teardown)
 * until the daemon restarts. So: a few retries, then an error that says
 * which of the two it is and what to do.
 */
export async function removeNetwork(api: DockerApi, name: string, retry: { readonly attempts: number; readonly waitMs: number } = { attempts: 5, waitMs: 1000 }): Promise<void> {
  const apiPath = `/networks/${encodeURIComponent(name)}`;
  for (let attempt = 1; ; attempt++) {
    try {
      return await tolerating([404], api.call('DELETE', apiPath));
    } catch (error) {
      if (!(error instanceof DockerApiError) || error.status !== 403 || !error.message.includes('active endpoints')) throw error;
      if (attempt < retry.attempts) {
        await sleep(retry.waitMs);
        continue;
      }
    }
    const network = await inspectOrAbsent<{ Containers?: Record<string, { Name?: string }> }>(api, apiPath);
    if (!network) return;
    const attached = Object.entries(network.Containers ?? {}).map(([id, c]) => c.Name ?? id.slice(0, 12));
    throw new Error(
      attached.length
        ? `network ${name} still has containers attached that this stack does not remove (${attached.join(', ')}): remove or disconnect them, then destroy again`
        : `network ${name}: the engine reports no container attached yet refuses to remove it ("has active endpoints"), a leaked endpoint count (a known engine bug, moby/moby#42119) that restarting the Docker daemon clears. Restart it (the private engine: bash engine/dockerd.sh stop, then start) and destroy again: the applier state keeps what is left to destroy`,
    );
  }
}

/** Destroys, in reverse order, what `applyStack` recorded: containers removed, destroy-time provisioners run, networks and volumes removed. */
export async function destroyStack(options: ApplierOptions): Promise<DestroyReport> {
  const api = options.api ?? dockerApi();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stack = stackNameOf(options.stackDir);
  const state = readState(options.stateDir, stack);
  const report: DestroyReport = { stack, destroyed: [] };
  if (!state) {
    log(`applier: ${stack} is not applied; no objects need to be destroyed`);
    return report;
  }
  const remaining = [...state.resources];
  const timeoutS = options.commandTimeoutS ?? 900;
  log(`applier: destroying ${stack} (${remaining.filter((r) => !r.notRun).length} resources)`);
  while (remaining.length) {
    const r = remaining[remaining.length - 1];
    if (!r.notRun) {
      if (r.type === 'docker_container' && r.name) {
        // already stopped (304) or already gone (404): what destroy wants
        await tolerating([304, 404], api.call('POST', `/containers/${encodeURIComponent(r.name)}/stop?t=${r.plan?.config.StopTimeout ?? 10}`, undefined, { timeoutMs: 120_000 }));
        await tolerating([404], api.call('DELETE', `/containers/${encodeURIComponent(r.name)}?force=true&v=false`));
        log(`  - ${r.address}: container ${r.name} removed`);
      } else if (r.type === 'null_resource') {
        for (const command of r.destroyCommands ?? []) {
          const resolved = interpolateSelf(command, r.triggers ?? {}, r.address);
          log(`  - ${r.address}: local-exec ${resolved.length > 140 ? `${resolved.slice(0, 140)}…` : resolved}`);
          await runCommand(resolved, options.stackDir, { ...process.env, [NOT_RUN_ENV]: notRunContainers(options.stateDir).join(',') }, timeoutS, log);
        }
      } else if (r.type === 'docker_network' && r.name) {
        await removeNetwork(api, r.name);
        log(`  - ${r.address}: network ${r.name} removed`);
      } else if (r.type === 'docker_volume' && r.name) {
        await tolerating([404], api.call('DELETE', `/volumes/${encodeURIComponent(r.name)}`));
        log(`  - ${r.address}: ${r.type.slice('docker_'.length)} ${r.name} removed`);
      } else if (r.type === 'docker_image' && r.name && !r.keepLocally) {
        await api.call('DELETE', `/images/${encodeURIComponent(r.name)}`).catch(() => undefined);
      }
      report.destroyed.push(r.address);
    }
    remaining.pop();
    writeState(options.stateDir, { ...state, resources: remaining });
  }
  const file = stateFile(options.stateDir, stack);
  rmSync(file, { force: true });
  return report;
}
