import { AlertSinkServer } from '../../../services/alert-sink/sink';

describe('the alert sink', () => {
  let sink: AlertSinkServer;
  let base: string;

  beforeEach(async () => {
    sink = new AlertSinkServer({ port: 0, host: '127.0.0.1', capacity: 2, maxBodyBytes: 2048 });
    base = `http://127.0.0.1:${await sink.start()}`;
  });
  afterEach(() => sink.stop());

  const post = (body: string) => fetch(`${base}/grafana`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('keeps Grafana notifications and returns those received since a time, oldest first, within its capacity', async () => {
    const before = Date.now();
    for (const name of ['a', 'b', 'c']) expect((await post(JSON.stringify({ status: 'firing', alerts: [{ labels: { alertname: name } }] }))).status).toBe(200);
    const stored = (await (await fetch(`${base}/notifications?since=${before}`)).json()) as Array<{ payload: { alerts: Array<{ labels: { alertname: string } }> } }>;
    expect(stored.map((n) => n.payload.alerts[0].labels.alertname)).toEqual(['b', 'c']);
    expect(await (await fetch(`${base}/notifications?since=${Date.now() + 1000}`)).json()).toEqual([]);
  });

  it('refuses what is not a webhook notification, and bodies over its limit', async () => {
    expect((await post('not json')).status).toBe(400);
    expect(await (await post('{"status":"firing"}')).json()).toEqual({ error: 'not a Grafana webhook notification: no alerts array' });
    expect((await post(JSON.stringify({ alerts: [], pad: 'x'.repeat(4096) }))).status).toBe(413);
    expect((await fetch(`${base}/notifications?since=soon`)).status).toBe(400);
    expect(sink.notifications).toEqual([]);
  });
});
