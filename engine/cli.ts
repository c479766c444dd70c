/**
 * `npm run engine -- <command>`: the Docker lab on an engine where
 * `cdktf deploy` cannot run (no Terraform providers).
 *   standins                build or reuse the stand-in base images
 *   synth                   synthesize every stack into cdktf.out
 *   apply <stack>…          apply stacks' Docker resources (lab first, then a scenario-<name>)
 *   destroy <stack>…        destroy what apply created, running destroy-time commands
 */
import { applyOnEngine, buildStandIns, destroyOnEngine, synthStacks } from './lab-engine';

const USAGE = 'usage: npm run engine -- standins | synth | apply <stack>… | destroy <stack>…';

async function main(argv: string[]): Promise<number> {
  const [command, ...stacks] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'standins') {
    for (const line of await buildStandIns()) process.stdout.write(`stand-in ${line}\n`);
    return 0;
  }
  if (command === 'synth') {
    process.stdout.write(`synthesized ${synthStacks().join(', ')} into cdktf.out\n`);
    return 0;
  }
  if (command !== 'apply' && command !== 'destroy') throw new Error(`unknown command '${command}'\n${USAGE}`);
  if (stacks.length === 0) throw new Error(`${command} needs at least one stack name\n${USAGE}`);
  synthStacks();
  for (const stack of command === 'destroy' ? [...stacks].reverse() : stacks) {
    if (command === 'apply') {
      const report = await applyOnEngine(stack);
      for (const s of report.standIns) process.stdout.write(`stand-in used: ${s.standIn} for ${s.requested}\n`);
      process.stdout.write(`${stack}: ${report.applied.length} applied, ${report.unchanged.length} unchanged, ${report.notRun.length} not run here\n`);
    } else {
      const report = await destroyOnEngine(stack);
      process.stdout.write(`${stack}: ${report.destroyed.length} destroyed\n`);
    }
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\n[cms-lab engine] ${error instanceof Error ? error.message : String(error)}\n\n`);
    process.exit(1);
  },
);
