/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, a free port), with faults on demand. Every
 * message it ACCEPTED (250 after DATA) is kept with its envelope and parsed with mailparser.
 */
import type { Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the server does with the next message (one entry per message, then `accept`). */
export type Fault =
  | 'accept'
  /** At RCPT: refuses every recipient of the message (or only `only`). */
  | { at: 'rcpt' | 'data'; code: number; message?: string; only?: string }
  | 'drop-mid-data';

export interface Received {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: Received[];
  /** Faults to apply to the next messages, in order. */
  faults: Fault[];
  /** How many faults were applied so far. */
  faultsApplied: number;
  /** Addresses seen in RCPT TO (accepted or not). */
  rcptSeen: string[];
  /** Runs after a message is accepted and kept, BEFORE the 250 reply goes out. */
  beforeReply?: (r: Received) => Promise<void> | void;
  close(): Promise<void>;
}

export async function startSmtp(opts: { auth?: { user: string; pass: string } } = {}): Promise<TestSmtp> {
  const sockets = new Map<number, Socket>();
  const state: TestSmtp = {
    port: 0,
    url: '',
    received: [],
    faults: [],
    faultsApplied: 0,
    rcptSeen: [],
    close: async () => {},
  };
  // The fault for the transaction in progress, per connection (by remote port).
  const current = new Map<number, Fault>();
  // Faults counted once per message, not per refused recipient.
  const counted = new Set<number>();
  const fail = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

  const server = new SMTPServer({
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !opts.auth,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) return cb(null, { user: auth.username });
      return cb(fail(535, 'Authentication credentials invalid'));
    },
    onMailFrom(_address, session, cb) {
      current.set(session.remotePort, state.faults.shift() ?? 'accept');
      counted.delete(session.remotePort);
      cb();
    },
    onRcptTo(address, session, cb) {
      state.rcptSeen.push(address.address);
      const f = current.get(session.remotePort);
      if (typeof f === 'object' && f.at === 'rcpt' && (f.only === undefined || f.only === address.address)) {
        if (!counted.has(session.remotePort)) state.faultsApplied += 1;
        counted.add(session.remotePort);
        return cb(fail(f.code, f.message ?? `${f.code} rcpt refused by test`));
      }
      cb();
    },
    onData(stream, session, cb) {
      const f = current.get(session.remotePort) ?? 'accept';
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        if (f === 'drop-mid-data' && !dropped) {
          dropped = true;
          state.faultsApplied += 1;
          sockets.get(session.remotePort)?.destroy();
        }
      });
      stream.on('end', () => {
        if (dropped) return cb(fail(421, 'dropped'));
        if (typeof f === 'object' && f.at === 'data') {
          state.faultsApplied += 1;
          return cb(fail(f.code, f.message ?? `${f.code} refused by test`));
        }
        const raw = Buffer.concat(chunks);
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        simpleParser(raw).then(
          (parsed) => {
            const r = { envelope, raw, parsed };
            state.received.push(r);
            Promise.resolve(state.beforeReply?.(r)).then(
              () => cb(null, 'OK: queued as test'),
              (err: Error) => cb(err),
            );
          },
          (err: Error) => cb(err),
        );
      });
    },
  });
  server.on('error', () => {});
  // smtp-server's underlying net.Server: track sockets to drop them mid-DATA.
  const net = (server as unknown as { server: import('node:net').Server }).server;
  net.on('connection', (socket: Socket) => {
    const port = socket.remotePort;
    if (port !== undefined) {
      sockets.set(port, socket);
      socket.on('close', () => sockets.delete(port));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = net.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  state.port = address.port;
  state.url = opts.auth
    ? `smtp://${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@127.0.0.1:${address.port}`
    : `smtp://127.0.0.1:${address.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets.values()) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
