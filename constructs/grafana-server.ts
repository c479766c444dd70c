/**
 * The Grafana server container. Its admin password is read from a host file
 * (GF_SECURITY_ADMIN_PASSWORD__FILE), so only the file's path is in the
 * configuration and the state; anonymous access and sign-up stay off.
 */
import { Volume } from '@cdktf/provider-docker/lib/volume';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type LabModel, agentNetworkAddress, containerAddress } from '../model/lab';
import { LabContainer } from './lab-container';
import { ReadinessGate } from './readiness-gate';

export const GRAFANA_ADMIN_PASSWORD_PATH = '/run/secrets/grafana-admin-password';

export interface GrafanaServerProps {
  readonly lab: LabModel;
  /** Host file holding the admin password (never the password itself). */
  readonly adminPasswordFile: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class GrafanaServer extends Construct {
  readonly container: LabContainer;
  readonly volume: Volume;
  /** Ready once /api/health answers from the host (the grafana provider talks to it from there). */
  readonly ready: ReadinessGate;
  /** URL of Grafana from the Docker host. */
  readonly hostUrl: string;
  /** URL of Grafana on the lab network. */
  readonly networkUrl: string;

  constructor(scope: Construct, id: string, props: GrafanaServerProps) {
    super(scope, id);
    const g = props.lab.grafana;
    this.hostUrl = `http://${props.lab.bindAddress}:${g.hostPort}`;
    this.networkUrl = `http://grafana:${g.port}`;
    this.volume = new Volume(this, 'data', { name: `${props.lab.name}-grafana-data` });
    this.container = new LabContainer(this, 'grafana', {
      name: 'grafana',
      image: props.lab.images.grafana,
      network: props.lab.network.name,
      ipv4Address: containerAddress(props.lab, 'grafana'),
      // the one lab service agents reach: Grafana also joins their network
      extraNetworks: [{ name: props.lab.agentNetwork.name, ipv4Address: agentNetworkAddress(props.lab, 'grafana') }],
      bindAddress: props.lab.bindAddress,
      component: 'grafana',
      env: {
        GF_SERVER_HTTP_PORT: String(g.port),
        GF_SERVER_ROOT_URL: this.hostUrl,
        GF_SECURITY_ADMIN_USER: g.adminUser,
        GF_SECURITY_ADMIN_PASSWORD__FILE: GRAFANA_ADMIN_PASSWORD_PATH,
        GF_USERS_ALLOW_SIGN_UP: 'false',
        GF_AUTH_ANONYMOUS_ENABLED: 'false',
        GF_AUTH_DISABLE_LOGIN_FORM: 'false',
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
        GF_NEWS_NEWS_FEED_ENABLED: 'false',
      },
      bindMounts: [{ host: props.adminPasswordFile, path: GRAFANA_ADMIN_PASSWORD_PATH, readOnly: true }],
      volumes: [{ volume: this.volume.name, path: '/var/lib/grafana' }],
      publish: [{ container: g.port, host: g.hostPort }],
      healthcheck: ['CMD', 'wget', '-q', '--spider', `http://127.0.0.1:${g.port}/api/health`],
      dependsOn: props.dependsOn,
    });
    this.ready = new ReadinessGate(this, 'ready', { what: 'Grafana', url: `${this.hostUrl}/api/health`, dependsOn: [this.container.container] });
  }
}
