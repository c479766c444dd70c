/**
 * The `lab` stack: every canonical resource of the lab, in dependency order
 * so a finished `cdktf deploy lab` means a usable lab — preflight, network,
 * Prometheus / Loki / Tempo, the Collector, the eight CMS services, the
 * alert sink, Grafana with its content, and the agents.
 */
import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AgentAccess } from '../constructs/agent-access';
import { AlertSink } from '../constructs/alert-sink';
import { CmsService } from '../constructs/cms-service';
import { CmsServiceImage } from '../constructs/cms-service-image';
import { GrafanaAlerting } from '../constructs/grafana-alerting';
import { GrafanaDashboards } from '../constructs/grafana-dashboards';
import { GrafanaDatasources } from '../constructs/grafana-datasources';
import { GrafanaProvider } from '../constructs/grafana-provider';
import { GrafanaServer } from '../constructs/grafana-server';
import { LabNetwork } from '../constructs/lab-network';
import { Loki } from '../constructs/loki';
import { Ollama } from '../constructs/ollama';
import { OpenSre } from '../constructs/opensre';
import { OtelCollector } from '../constructs/otel-collector';
import { Preflight } from '../constructs/preflight';
import { Prometheus } from '../constructs/prometheus';
import { Tempo } from '../constructs/tempo';
import type { LabModel } from '../model/lab';
import { CMS_SERVICES } from '../model/services';
import { type HostPaths, portablePath, terraformPath } from '../lib/host-paths';
import { pinnedProviders } from './providers';

export { PROVIDER_VERSIONS } from './providers';

export interface LabStackProps {
  readonly lab: LabModel;
  readonly paths: HostPaths;
}

/** Every host port the lab publishes (the preflight checks them). */
export function labHostPorts(lab: LabModel): number[] {
  const o = lab.observability;
  return [
    o.prometheus.hostPort,
    o.loki.hostPort,
    o.tempo.hostPort,
    o.collector.hostPorts.otlpGrpc,
    o.collector.hostPorts.otlpHttp,
    o.collector.hostPorts.health,
    o.alertSink.hostPort,
    lab.grafana.hostPort,
    ...lab.cms.services.flatMap((s) => (s.hostPort ? [s.hostPort] : [])),
    ...(lab.agents.opensre.enabled && lab.agents.ollama.mode === 'container' ? [lab.agents.ollama.hostPort] : []),
  ];
}

export class LabStack extends TerraformStack {
  readonly grafana: GrafanaServer;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id);
    const { lab, paths } = props;
    pinnedProviders(this, id);

    const preflight = new Preflight(this, 'preflight', { bindAddress: lab.bindAddress, hostPorts: labHostPorts(lab) });
    const network = new LabNetwork(this, 'network', { lab, dependsOn: [preflight.resource] });
    const agentNetwork = new LabNetwork(this, 'agent-network', { lab, role: 'agents', dependsOn: [preflight.resource] });
    const base = [preflight.resource, network.network];
    const agentBase = [preflight.resource, agentNetwork.network];
    const image = new CmsServiceImage(this, 'cms-image', { tag: lab.cms.image });

    const prometheus = new Prometheus(this, 'prometheus', { lab, dependsOn: base });
    const loki = new Loki(this, 'loki', { lab, dependsOn: base });
    const tempo = new Tempo(this, 'tempo', { lab, dependsOn: base });
    const backends = [prometheus.container.container, loki.container.container, tempo.ready.resource];
    const collector = new OtelCollector(this, 'otel-collector', { lab, dependsOn: [...base, ...backends] });
    for (const s of CMS_SERVICES) {
      new CmsService(this, s.name, { lab, service: s.name, image: image.imageId, dependsOn: [...base, collector.ready.resource] });
    }
    const sink = new AlertSink(this, 'alert-sink', { lab, image: image.imageId, dependsOn: base });

    this.grafana = new GrafanaServer(this, 'grafana', { lab, adminPasswordFile: terraformPath(paths.adminPasswordFile), dependsOn: [...base, agentNetwork.network, ...backends] });
    // the provider reads the password from the file at plan time: neither the configuration nor the state holds it
    new GrafanaProvider(this, 'grafana-provider', { url: this.grafana.hostUrl, auth: `${lab.grafana.adminUser}:${Fn.trimspace(Fn.file(terraformPath(paths.adminPasswordFile)))}`, retries: 5 });
    const grafanaReady = [this.grafana.ready.resource];
    const datasources = new GrafanaDatasources(this, 'datasources', { lab, dependsOn: grafanaReady });
    const dashboards = new GrafanaDashboards(this, 'dashboards', { lab, dependsOn: [...grafanaReady, ...datasources.all] });
    new GrafanaAlerting(this, 'alerting', { lab, folderUid: dashboards.folder.uid, webhookUrl: sink.webhookUrl, dependsOn: [...datasources.all, sink.container.container] });

    if (lab.agents.opensre.enabled) {
      const access = new AgentAccess(this, 'agent-access', {
        lab,
        grafanaHostUrl: this.grafana.hostUrl,
        adminPasswordFile: portablePath(paths.adminPasswordFile),
        tokenFile: portablePath(paths.agentTokenFile),
        dependsOn: [...grafanaReady, ...datasources.all],
      });
      const ollama = new Ollama(this, 'ollama', { lab, dependsOn: agentBase });
      new OpenSre(this, 'opensre', {
        lab,
        grafanaUrl: this.grafana.networkUrl,
        ollamaUrl: ollama.networkUrl,
        extraHosts: ollama.extraHosts,
        tokenFile: terraformPath(paths.agentTokenFile),
        workDir: terraformPath(paths.agentWorkDir('opensre')),
        llmApiKeyFile: lab.agents.opensre.llm.provider === 'ollama' || !paths.llmApiKeyFile ? undefined : terraformPath(paths.llmApiKeyFile),
        dependsOn: [...agentBase, access.token, ollama.modelCheck],
      });
    }

    new TerraformOutput(this, 'grafana_url', { value: this.grafana.hostUrl, description: 'Grafana (admin password: CMS_LAB_HOME/secrets/grafana-admin-password)' });
    new TerraformOutput(this, 'prometheus_url', { value: `http://${lab.bindAddress}:${lab.observability.prometheus.hostPort}` });
    new TerraformOutput(this, 'alert_sink_url', { value: `http://${lab.bindAddress}:${lab.observability.alertSink.hostPort}` });
    const display = lab.cms.services.find((s) => s.name === 'tactical-display' && s.hostPort);
    if (display?.hostPort) new TerraformOutput(this, 'tactical_picture_url', { value: `http://${lab.bindAddress}:${display.hostPort}/api/picture` });
  }
}
