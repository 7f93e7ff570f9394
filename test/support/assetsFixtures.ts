import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { verifySignature } from '../../systems/payments/webhookSignature.js';

/** A portrait-like picture: a head, neck and shoulders on a plain blue background (`side` px square). */
export async function portraitPng(side = 400): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}" viewBox="0 0 400 400">
<rect width="400" height="400" fill="#6fa8dc"/>
<path d="M60 400 C60 300 110 270 200 265 C290 270 340 300 340 400 Z" fill="#8b4513"/>
<rect x="178" y="220" width="44" height="55" fill="#c68642"/>
<ellipse cx="200" cy="170" rx="62" ry="78" fill="#c68642"/>
<path d="M138 160 C135 95 265 95 262 160 C255 120 145 120 138 160 Z" fill="#2b1a0e"/>
<ellipse cx="178" cy="165" rx="8" ry="5" fill="#fff"/><ellipse cx="222" cy="165" rx="8" ry="5" fill="#fff"/>
<circle cx="178" cy="165" r="4" fill="#222"/><circle cx="222" cy="165" r="4" fill="#222"/>
<path d="M200 170 L194 195 L206 195 Z" fill="#a0522d"/>
<path d="M180 212 Q200 225 220 212" stroke="#7a2e1c" stroke-width="4" fill="none"/>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A PNG whose header declares `width`×`height` but whose data is a few bytes: a decompression bomb's shape. */
export function declaredHugePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface Delivery {
  body: string;
  header: string | null;
  /** Null when the signature verifies under the secret within 300 s. */
  problem: string | null;
}

/** The admin dashboard's webhook endpoint, on loopback: verifies each delivery's signature and answers `statuses` in turn (then 200). */
export async function startWebhookReceiver(secret: string, statuses: number[] = []) {
  const deliveries: Delivery[] = [];
  const answers = [...statuses];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = (req.headers['asset-signature'] as string | undefined) ?? null;
      const problem = verifySignature({
        header,
        body: raw,
        nowSec: Math.floor(Date.now() / 1000),
        toleranceSec: 300,
        hmacHex: (payload) => createHmac('sha256', secret).update(payload).digest('hex'),
      });
      deliveries.push({ body: raw.toString('utf8'), header, problem: problem?.code ?? null });
      res.statusCode = problem ? 400 : (answers.shift() ?? 200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/assets`,
    deliveries,
    answer: (...more: number[]) => answers.push(...more),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
