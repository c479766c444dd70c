import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { nxdomainReply } from '../../engine/lane-resolver';

describe("an engine lane's name server", () => {
  it('answers a real resolver NXDOMAIN at once, for A and AAAA alike', async () => {
    const socket = createSocket('udp4');
    socket.on('message', (message, peer) => {
      const reply = nxdomainReply(message);
      if (reply) socket.send(reply, peer.port, peer.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([`127.0.0.1:${socket.address().port}`]);
      const began = Date.now();
      await expect(resolver.resolve4('otel-collector')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      await expect(resolver.resolve6('otel-collector.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      // not a timeout: the answer came (a timeout would be ETIMEOUT after 2 s)
      expect(Date.now() - began).toBeLessThan(1900);
    } finally {
      socket.close();
    }
  });

  it('ignores what is not a well-formed query: a response, a short packet, a compressed question', () => {
    const query = Buffer.from('abcd01000001000000000000' + '036f746c0000010001', 'hex');
    expect(nxdomainReply(query)?.subarray(2, 4).toString('hex')).toBe('8183');
    const response = Buffer.from(query);
    response[2] |= 0x80;
    expect(nxdomainReply(response)).toBeUndefined();
    expect(nxdomainReply(Buffer.alloc(5))).toBeUndefined();
    const compressed = Buffer.from('abcd01000001000000000000' + 'c00c00010001', 'hex');
    expect(nxdomainReply(compressed)).toBeUndefined();
    const truncated = Buffer.from('abcd01000001000000000000' + '036f746c00', 'hex');
    expect(nxdomainReply(truncated)).toBeUndefined();
  });
});
