/**
 * The CDKTF app: `cdktf deploy lab` brings the healthy lab up;
 * `cdktf deploy scenario-<name>` injects one fault into it and
 * `cdktf destroy scenario-<name>` removes it. Secrets are prepared on the
 * host here (files with mode 0600); only their paths reach the synthesized
 * configuration. Secrets are made only when a cdktf command will plan or
 * apply (never by a plain synth). Under `cdktf deploy` the host is checked
 * first, and an unknown stack name is answered with the valid ones.
 */
import { App } from 'cdktf';
import { buildLabModel } from './model/lab';
import { cdktfInvocation, deployGuard, unknownStacks } from './stacks/deploy-guard';
import { ensureAdminPassword, ensureAgentDirs, grantMountAccess, hostPaths, mountAccessList } from './lib/host-paths';
import { defineStacks, stackNames } from './stacks/app';

function fail(message: string): never {
  process.stderr.write(`\ncms-chaos-lab: ${message}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const lab = buildLabModel();
  const unknown = unknownStacks(stackNames());
  if (unknown) fail(unknown);
  const problems = await deployGuard(lab);
  if (problems.length) fail(`this host cannot run the lab yet:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const paths = hostPaths();
  // Terraform reads the password file at plan time: make it for the commands that plan, and only for them
  if (['deploy', 'diff', 'plan', 'destroy'].includes(cdktfInvocation()?.subcommand ?? '')) {
    ensureAdminPassword(paths);
    ensureAgentDirs(paths, lab.agents.opensre.enabled ? ['opensre'] : []);
    grantMountAccess(mountAccessList(paths, lab));
  }

  const app = new App();
  defineStacks(app, lab, paths);
  app.synth();
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
