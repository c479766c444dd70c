/** Entrypoint of the alert-sink container (node dist/services/alert-sink/main.js). */
import { AlertSinkServer } from './sink';

const raw = process.env.ALERT_SINK_PORT ?? '9095';
const port = Number(raw);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`alert-sink: invalid ALERT_SINK_PORT=${JSON.stringify(raw)}: must be an integer from 1 to 65535\n`);
  process.exit(78);
}
const sink = new AlertSinkServer({ port });
sink.start().then(
  () => process.stdout.write(`${JSON.stringify({ event: 'alert_sink_listening', port })}\n`),
  (error: unknown) => {
    process.stderr.write(`alert-sink: ${String(error)}\n`);
    process.exit(1);
  },
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void sink.stop().then(() => process.exit(0)));
