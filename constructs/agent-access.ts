/**
 * Read-only Grafana access for the agents: a service account managed as a
 * provider resource, and its token minted by a deploy-time tool that writes
 * it to a host file (mode 0600) and revokes it on destroy. The token is not
 * a Terraform resource on purpose: `grafana_service_account_token.key`
 * would be stored in the state in clear text. The tool also proves, with
 * that token, that the agent can list the lab's datasources.
 */
import { Resource } from '@cdktf/provider-null/lib/resource';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { LabModel } from '../model/lab';
import { GrafanaServiceAccount } from './grafana-provider';
import { hostToolCommand } from './host-tool';

export interface AgentAccessProps {
  readonly lab: LabModel;
  /** Grafana as the Docker host reaches it. */
  readonly grafanaHostUrl: string;
  /** Host file with the admin password (read by the tool, never by Terraform). */
  readonly adminPasswordFile: string;
  /** Host file the token is written to. */
  readonly tokenFile: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class AgentAccess extends Construct {
  readonly serviceAccount: GrafanaServiceAccount;
  readonly token: Resource;
  readonly tokenFile: string;

  constructor(scope: Construct, id: string, props: AgentAccessProps) {
    super(scope, id);
    const account = props.lab.grafana.agentServiceAccount;
    this.tokenFile = props.tokenFile;
    this.serviceAccount = new GrafanaServiceAccount(this, 'account', { name: account.name, role: account.role, dependsOn: props.dependsOn });
    const datasourceUids = Object.values(props.lab.grafana.datasources).map((d) => d.uid).join(',');
    // destroy-time provisioners may only read self.triggers: everything the tool needs is a trigger (no secret among them)
    this.token = new Resource(this, 'token', {
      triggers: {
        grafana_url: props.grafanaHostUrl,
        admin_user: props.lab.grafana.adminUser,
        admin_password_file: props.adminPasswordFile,
        service_account_id: this.serviceAccount.id,
        token_file: props.tokenFile,
        datasource_uids: datasourceUids,
      },
      provisioners: [
        {
          type: 'local-exec',
          command: hostToolCommand('agent-token', [
            'create',
            '--grafana-url', '${self.triggers.grafana_url}',
            '--admin-user', '${self.triggers.admin_user}',
            '--admin-password-file', '${self.triggers.admin_password_file}',
            '--service-account-id', '${self.triggers.service_account_id}',
            '--token-file', '${self.triggers.token_file}',
            '--require-datasources', '${self.triggers.datasource_uids}',
          ]),
        },
        {
          type: 'local-exec',
          when: 'destroy',
          command: hostToolCommand('agent-token', [
            'revoke',
            '--grafana-url', '${self.triggers.grafana_url}',
            '--admin-user', '${self.triggers.admin_user}',
            '--admin-password-file', '${self.triggers.admin_password_file}',
            '--service-account-id', '${self.triggers.service_account_id}',
            '--token-file', '${self.triggers.token_file}',
          ]),
        },
      ],
      dependsOn: [this.serviceAccount],
    });
  }
}
