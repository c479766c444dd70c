/**
 * The name server of an engine lane's network namespace: it answers every
 * query "no such name" (NXDOMAIN) at once. Docker's embedded DNS forwards a
 * name outside the lab network (the Collector, which has no image here) to
 * the host's name servers; a lane's namespace has no route to them, and
 * Docker 20.10 then sends no answer at all, so every lookup waited out the
 * resolver's 10 s and each `docker stop` ended in a SIGKILL (measured on a
 * lane). On the host the resolver says NXDOMAIN within milliseconds; the
 * lane's namespace holds the host's name-server addresses on its loopback
 * and this process says the same. Started and stopped by
 * `engine/dockerd.sh lane-start|lane-stop`, inside the namespace.
 */
import { createSocket } from 'node:dgram';

/** The reply to a DNS query: its id and question, flagged as a response with NXDOMAIN; undefined for what is not a query. */
export function nxdomainReply(query: Buffer): Buffer | undefined {
  if (query.length < 12 || (query[2] & 0x80) !== 0) return undefined;
  const questions = query.readUInt16BE(4);
  let end = 12;
  for (let q = 0; q < questions; q++) {
    while (end < query.length && query[end] !== 0) {
      if ((query[end] & 0xc0) !== 0) return undefined;
      end += query[end] + 1;
    }
    end += 1 + 4; // the root label, QTYPE and QCLASS
    if (end > query.length) return undefined;
  }
  const reply = Buffer.from(query.subarray(0, end));
  // QR=1, the query's opcode and RD kept, RA=1, RCODE=3 (NXDOMAIN)
  reply[2] = 0x80 | (query[2] & 0x79);
  reply[3] = 0x80 | 3;
  reply.writeUInt16BE(0, 6);
  reply.writeUInt16BE(0, 8);
  reply.writeUInt16BE(0, 10);
  return reply;
}

if (require.main === module) {
  // one socket per address: a reply must come from the address the query went to, and a socket on 0.0.0.0 would
  // answer from the bridge's address instead (and be dropped by the asking resolver)
  const addresses = process.argv.slice(2);
  if (addresses.length === 0) {
    process.stderr.write('usage: lane-resolver <address>…\n');
    process.exit(2);
  }
  for (const address of addresses) {
    const socket = createSocket('udp4');
    socket.on('message', (message, peer) => {
      const reply = nxdomainReply(message);
      // a reply that cannot be sent is the asker's loss (it retries), not a reason to stop answering
      if (reply) socket.send(reply, peer.port, peer.address, (error) => error && process.stderr.write(`lane-resolver: ${address}: reply to ${peer.address}: ${error.message}\n`));
    });
    socket.on('error', (error) => {
      process.stderr.write(`lane-resolver: ${address}: ${error.message}\n`);
      process.exit(1);
    });
    socket.bind(53, address, () => process.stdout.write(`lane-resolver: answering NXDOMAIN on ${address}:53\n`));
  }
}
