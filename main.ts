/**
 * The CDKTF app: `cdktf deploy lab` brings the healthy lab up. Secrets are
 * prepared on the host here (files with mode 0600); only their paths reach
 * the synthesized configuration. Under `cdktf deploy` the host is checked
 * first (stacks/deploy-guard.ts).
 */
import { App } from 'cdktf';
import { buildLabModel } from './model/lab';
import { deployGuard } from './stacks/deploy-guard';
import { ensureAdminPassword, ensureAgentDirs, hostPaths } from './stacks/host-paths';
import { LabStack } from './stacks/lab-stack';

async function main(): Promise<void> {
  const lab = buildLabModel();
  const problems = await deployGuard(lab);
  if (problems.length) {
    process.stderr.write(`\ncms-chaos-lab: this host cannot run the lab yet:\n${problems.map((p) => `  - ${p}`).join('\n')}\n\n`);
    process.exit(1);
  }
  const paths = hostPaths();
  ensureAdminPassword(paths);
  ensureAgentDirs(paths, lab.agents.opensre.enabled ? ['opensre'] : []);

  const app = new App();
  new LabStack(app, 'lab', { lab, paths });
  app.synth();
}

main().catch((error: unknown) => {
  process.stderr.write(`\ncms-chaos-lab: ${error instanceof Error ? error.message : String(error)}\n\n`);
  process.exit(1);
});
