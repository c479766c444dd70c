/**
 * npm run bench:synth — wall time of `cdktf synth` for all stacks (median of
 * several runs, target under 15 s) and the size of each stack's JSON.
 * Options: --runs N (default 3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../services/runtime/paths';

const TARGET_S = 15;
const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 3;
const output = mkdtempSync(path.join(os.tmpdir(), 'cms-bench-synth-'));
const env = { ...process.env, CMS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'cms-lab-home-')), CHECKPOINT_DISABLE: '1', CMS_LAB_PREFLIGHT: '0', CI: '1' };
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  const result = spawnSync('npx', ['cdktf', 'synth', '--output', output], { cwd: projectRoot(), env, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    process.exit(1);
  }
  times.push(Number(process.hrtime.bigint() - started) / 1e9);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const stacks = readdirSync(path.join(output, 'stacks'));
const rows = stacks.map((s) => `| ${s} | ${(statSync(path.join(output, 'stacks', s, 'cdk.tf.json')).size / 1024).toFixed(1)} KiB |`);
process.stdout.write(
  [
    `bench:synth: npx cdktf synth, ${runs} runs: median ${median.toFixed(2)} s (min ${times[0].toFixed(2)}, max ${times.at(-1)?.toFixed(2)}) — target < ${TARGET_S} s: ${median < TARGET_S ? 'met' : 'MISSED'}`,
    '',
    '| Stack | Synthesized JSON |',
    '|---|---|',
    ...rows,
    '',
    'Reproduce: npm run bench:synth',
    '',
  ].join('\n'),
);
