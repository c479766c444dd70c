import { Fn } from 'cdktf';
import {
  GrafanaContactPoint,
  GrafanaDashboard,
  GrafanaDataSource,
  GrafanaFolder,
  GrafanaNotificationPolicy,
  GrafanaProvider,
  GrafanaRuleGroup,
  GrafanaServiceAccount,
  escapeInterpolation,
} from '../../../constructs/grafana-provider';
import { resources, synth } from '../support';

describe('the typed grafana/grafana provider classes', () => {
  it('pin the provider source and exact version, and take auth as an expression', () => {
    const { json, tf } = synth((s) => new GrafanaProvider(s, 'g', { url: 'http://127.0.0.1:13000', auth: `lab-admin:${Fn.file('/secrets/pw')}` }));
    expect(json).toHaveProviderWithProperties(GrafanaProvider, { url: 'http://127.0.0.1:13000', auth: 'lab-admin:${file("/secrets/pw")}' });
    expect((tf as unknown as { terraform: { required_providers: Record<string, unknown> } }).terraform.required_providers.grafana).toEqual({ source: 'grafana/grafana', version: '4.45.1' });
  });

  it('synthesize the attribute names of the provider schema, nested blocks as lists', () => {
    const { json, tf } = synth((s) => {
      new GrafanaDataSource(s, 'ds', { name: 'cms-prometheus-metrics', type: 'prometheus', uid: 'cms-prometheus', url: 'http://prometheus:9090', isDefault: true, jsonData: { httpMethod: 'POST' } });
      new GrafanaFolder(s, 'f', { title: 'CMS', uid: 'cms' });
      new GrafanaDashboard(s, 'd', { dashboard: { uid: 'x', title: 'X' }, folder: 'cms' });
      new GrafanaContactPoint(s, 'cp', { name: 'sink', webhook: { url: 'http://alert-sink:9095/grafana' } });
      new GrafanaNotificationPolicy(s, 'np', { contactPoint: 'sink', groupBy: ['alertname'], groupWait: '5s' });
      new GrafanaServiceAccount(s, 'sa', { name: 'sre-agent', role: 'Viewer' });
      new GrafanaRuleGroup(s, 'rg', {
        name: 'g',
        folderUid: 'cms',
        intervalSeconds: 10,
        rules: [{ name: 'R', uid: 'r', condition: 'A', for: '1m', data: [{ refId: 'A', datasourceUid: 'p', model: { expr: 'up' }, relativeTimeRange: { from: 120, to: 0 } }] }],
      });
    });
    expect(json).toHaveResourceWithProperties(GrafanaDataSource, { name: 'cms-prometheus-metrics', type: 'prometheus', uid: 'cms-prometheus', access_mode: 'proxy', is_default: true, json_data_encoded: '{"httpMethod":"POST"}' });
    expect(json).toHaveResourceWithProperties(GrafanaFolder, { title: 'CMS', uid: 'cms' });
    expect(json).toHaveResourceWithProperties(GrafanaDashboard, { config_json: '{"uid":"x","title":"X"}', folder: 'cms', overwrite: true });
    expect(json).toHaveResourceWithProperties(GrafanaContactPoint, { name: 'sink', webhook: [{ url: 'http://alert-sink:9095/grafana', http_method: 'POST', max_alerts: 0, disable_resolve_message: false }] });
    expect(json).toHaveResourceWithProperties(GrafanaNotificationPolicy, { contact_point: 'sink', group_by: ['alertname'], group_wait: '5s' });
    expect(json).toHaveResourceWithProperties(GrafanaServiceAccount, { name: 'sre-agent', role: 'Viewer', is_disabled: false });
    expect(resources(tf, 'grafana_rule_group')[0]).toEqual({
      name: 'g',
      folder_uid: 'cms',
      interval_seconds: 10,
      rule: [
        {
          name: 'R',
          uid: 'r',
          condition: 'A',
          for: '1m',
          no_data_state: 'OK',
          exec_err_state: 'Error',
          is_paused: false,
          data: [{ ref_id: 'A', datasource_uid: 'p', model: '{"expr":"up"}', relative_time_range: [{ from: 120, to: 0 }] }],
        },
      ],
    });
  });

  it('escape Terraform interpolation inside JSON documents for Grafana', () => {
    expect(escapeInterpolation('{"url":"${__value.raw}","t":"%{x}"}')).toBe('{"url":"$${__value.raw}","t":"%%{x}"}');
  });

  it('refuse inconsistent input at synth', () => {
    expect(() => synth((s) => new GrafanaDashboard(s, 'd', { dashboard: { title: 'no uid' } }))).toThrow(/needs a uid/);
    expect(() =>
      synth((s) => new GrafanaRuleGroup(s, 'rg', { name: 'g', folderUid: 'f', intervalSeconds: 10, rules: [{ name: 'R', uid: 'r', condition: 'C', for: '1m', data: [{ refId: 'A', datasourceUid: 'p', model: {}, relativeTimeRange: { from: 0, to: 0 } }] }] })),
    ).toThrow(/condition 'C' names no data stage \(A\)/);
    expect(() => synth((s) => new GrafanaNotificationPolicy(s, 'np', { contactPoint: 'x', groupBy: [] }))).toThrow(/group_by needs at least one label/);
  });
});
