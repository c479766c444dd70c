/** GrafanaServer, GrafanaDatasources, GrafanaDashboards and GrafanaAlerting. */
import { Container } from '@cdktf/provider-docker/lib/container';
import { GrafanaAlerting } from '../../constructs/grafana-alerting';
import { GrafanaDashboards } from '../../constructs/grafana-dashboards';
import { GrafanaDatasources } from '../../constructs/grafana-datasources';
import { GrafanaContactPoint, GrafanaNotificationPolicy } from '../../constructs/grafana-provider';
import { GrafanaServer } from '../../constructs/grafana-server';
import { lab, resources, synth } from './support';

describe('Grafana constructs', () => {
  it('GrafanaServer takes its admin password from a mounted file, with anonymous access and sign-up off', () => {
    const { json, tf } = synth((s) => new GrafanaServer(s, 'grafana', { lab, adminPasswordFile: '/home/u/.cms-lab/secrets/grafana-admin-password' }));
    expect(json).toHaveResourceWithProperties(Container, { name: 'grafana', image: 'grafana/grafana:12.4.3' });
    const container = resources(tf, 'docker_container')[0];
    const env = container.env as string[];
    expect(env).toEqual(
      expect.arrayContaining([
        'GF_SECURITY_ADMIN_USER=lab-admin',
        'GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana-admin-password',
        'GF_AUTH_ANONYMOUS_ENABLED=false',
        'GF_USERS_ALLOW_SIGN_UP=false',
        'GF_SERVER_ROOT_URL=http://127.0.0.1:13000',
      ]),
    );
    expect(env.some((e) => e.startsWith('GF_SECURITY_ADMIN_PASSWORD='))).toBe(false);
    expect(container.volumes).toEqual(expect.arrayContaining([{ host_path: '/home/u/.cms-lab/secrets/grafana-admin-password', container_path: '/run/secrets/grafana-admin-password', read_only: true }]));
  });

  it('GrafanaDatasources and GrafanaDashboards manage content as provider resources (panel edits are in-place updates)', () => {
    const { tf } = synth((s) => {
      new GrafanaDatasources(s, 'ds', { lab });
      new GrafanaDashboards(s, 'dash', { lab });
    });
    expect(resources(tf, 'grafana_data_source').map((d) => d.uid).sort()).toEqual(['cms-loki', 'cms-prometheus', 'cms-tempo']);
    expect(resources(tf, 'grafana_folder')).toEqual([expect.objectContaining({ uid: 'cms', title: 'CMS' })]);
    expect(resources(tf, 'grafana_dashboard').map((d) => JSON.parse(d.config_json as string).uid).sort()).toEqual(['cms-overview', 'cms-runbooks']);
  });

  it('GrafanaAlerting sends every alert to the sink, grouped per rule, with the seven rules in one group', () => {
    const { json, tf } = synth((s) => new GrafanaAlerting(s, 'alerting', { lab, folderUid: 'cms', webhookUrl: 'http://alert-sink:9095/grafana' }));
    expect(json).toHaveResourceWithProperties(GrafanaContactPoint, { name: 'lab-alert-sink' });
    expect(json).toHaveResourceWithProperties(GrafanaNotificationPolicy, { group_by: ['alertname'], group_wait: '5s' });
    const group = resources(tf, 'grafana_rule_group')[0] as { interval_seconds: number; rule: Array<{ uid: string }> };
    expect(group.interval_seconds).toBe(10);
    expect(group.rule.map((r) => r.uid)).toEqual(lab.alertRules.map((r) => r.uid));
  });
});
