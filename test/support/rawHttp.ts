import net from 'node:net';

/** One HTTP/1.1 response as read off a raw socket. */
export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Everything the server sent on the socket, including bytes after this response. */
  raw: string;
  /** Milliseconds from the first byte written to the end of the response head. */
  ms: number;
}

function parseHead(raw: string): { status: number; headers: Record<string, string>; headEnd: number } | null {
  // Interim answers (100 Continue) come before the response proper: skip them.
  let start = 0;
  while (/^HTTP\/1\.[01] 1\d\d /.test(raw.slice(start))) {
    const end = raw.indexOf('\r\n\r\n', start);
    if (end < 0) return null;
    start = end + 4;
  }
  const headEnd = raw.indexOf('\r\n\r\n', start);
  if (headEnd < 0) return null;
  const [statusLine, ...lines] = raw.slice(start, headEnd).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, headEnd: headEnd + 4 };
}

/**
 * Writes `request` (head and body, verbatim) to a fresh connection and reads the first response.
 * `settleMs` keeps reading after it so a test can see bytes that should not be there (a HEAD body).
 * Rejects when no complete response head arrives within `timeoutMs`: a hang is a failure.
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  options: { timeoutMs?: number; settleMs?: number; headOnly?: boolean } = {},
): Promise<RawResponse> {
  const { timeoutMs = 5000, settleMs = 0, headOnly = false } = options;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const started = Date.now();
    let raw = '';
    let headAt = 0;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const head = parseHead(raw);
      if (error || !head) return reject(error ?? new Error(`no complete response head; received ${JSON.stringify(raw.slice(0, 300))}`));
      const length = Number(head.headers['content-length'] ?? NaN);
      const body = headOnly ? '' : Number.isFinite(length) ? raw.slice(head.headEnd, head.headEnd + length) : raw.slice(head.headEnd);
      resolve({ status: head.status, headers: head.headers, body, raw, ms: headAt - started });
    };
    const timer = setTimeout(() => finish(new Error(`no response within ${timeoutMs} ms; received ${JSON.stringify(raw.slice(0, 300))}`)), timeoutMs);
    socket.on('data', (chunk) => {
      raw += chunk.toString('latin1');
      const head = parseHead(raw);
      if (!head) return;
      headAt ||= Date.now();
      const length = Number(head.headers['content-length'] ?? NaN);
      const complete = headOnly || (Number.isFinite(length) && Buffer.byteLength(raw, 'latin1') >= head.headEnd + length);
      if (complete) setTimeout(() => finish(), settleMs);
    });
    socket.on('error', () => finish());
    socket.on('close', () => finish());
    socket.write(request);
  });
}

/** What happened while streaming a large body. */
export interface StreamOutcome {
  response: RawResponse | null;
  /** Body bytes written before the answer arrived (or the socket closed). */
  sentBytes: number;
  /** Milliseconds from the first byte to the answer's head (or to the socket closing without one). */
  ms: number;
}

/**
 * Sends `head` then up to `totalBytes` of JSON whitespace, as fast as the socket takes it, and stops
 * as soon as the server answers: the way a client that reads while it uploads sees an early 413.
 * `chunked`: Transfer-Encoding chunked frames (the head must announce it).
 */
export function streamBody(port: number, head: string, totalBytes: number, options: { chunked?: boolean; timeoutMs?: number } = {}): Promise<StreamOutcome> {
  const { chunked = false, timeoutMs = 30_000 } = options;
  const piece = Buffer.alloc(64 * 1024, 0x20);
  const frame = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const started = Date.now();
    let raw = '';
    let sent = 0;
    let answered: RawResponse | null = null;
    let answeredAt = 0;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ response: answered, sentBytes: sent, ms: (answeredAt || Date.now()) - started });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk) => {
      raw += chunk.toString('latin1');
      const parsed = parseHead(raw);
      if (!parsed || answered) return;
      const length = Number(parsed.headers['content-length'] ?? 0);
      if (Buffer.byteLength(raw, 'latin1') < parsed.headEnd + length) return;
      answeredAt = Date.now();
      answered = { status: parsed.status, headers: parsed.headers, body: raw.slice(parsed.headEnd, parsed.headEnd + length), raw, ms: answeredAt - started };
      finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    const pump = () => {
      while (!answered && sent < totalBytes && !socket.destroyed) {
        sent += piece.length;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
      if (chunked && !answered && !socket.destroyed) socket.write('0\r\n\r\n');
    };
    socket.write(head);
    pump();
  });
}

/** A request head for `POST path` with a JSON content type and the given framing header. */
export function postHead(path: string, framing: string, extra = ''): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n${extra}\r\n`;
}
