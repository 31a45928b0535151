/**
 * The client side of `tail`: connects to one endpoint (Unix socket, or TCP with the greeting and
 * the HMAC envelope when the endpoint has a secret), sends the `tail` command, and hands each
 * record frame to the caller until the tap ends or the caller closes.
 */
import { connect, type Socket } from 'node:net';
import { HELLO_PREFIX, parseHello, seal } from './auth.js';
import type { Target } from './client.js';
import { encodeFrame } from './framing.js';
import { GreetingReader } from './greeting-reader.js';
import type { TailCommand, TailReply, TapEndFrame, TapRecordFrame } from './tap.js';

/** A running tail of one process. */
export interface TailSession {
  reply: TailReply;
  /** Resolves when the stream ends: the end frame, or null when the connection closed without one. */
  ended: Promise<TapEndFrame | null>;
  close(): void;
}

/** Starts a tail on `target`; rejects when it cannot connect, is refused, or no reply comes in `timeoutMs`. */
export function startTail(
  target: Target,
  cmd: TailCommand,
  onRecord: (frame: TapRecordFrame) => void,
  options: { secret?: string; timeoutMs?: number } = {},
): Promise<TailSession> {
  return new Promise((resolve, reject) => {
    const socket: Socket =
      target.kind === 'unix' ? connect(target.socket) : connect({ host: target.host, port: target.port });
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error('no answer within the timeout')), options.timeoutMs ?? 3000);
    let finish: (end: TapEndFrame | null) => void = () => {};
    const ended = new Promise<TapEndFrame | null>((r) => (finish = r));
    let replied = false;
    const text = JSON.stringify(cmd);
    const reader = new GreetingReader(
      target.kind === 'tcp',
      4 << 20,
      (line) => {
        const hello = parseHello(line);
        if (!hello) return fail(new Error(line.startsWith(HELLO_PREFIX) ? 'bad greeting' : 'not a logdial listener'));
        if (!hello.auth) return void socket.write(encodeFrame(text));
        const secret = options.secret ?? process.env['LOGDIAL_SECRET'];
        if (!secret) return fail(new Error('this endpoint requires a secret (--secret or LOGDIAL_SECRET)'));
        socket.write(encodeFrame(JSON.stringify(seal(secret, hello.nonce, text))));
      },
      (payload) => {
        const frame = JSON.parse(payload.toString('utf8')) as TailReply | TapRecordFrame | TapEndFrame;
        if (!replied) {
          replied = true;
          clearTimeout(timer);
          const reply = frame as TailReply;
          if (!reply.ok) return fail(new Error(reply.error?.message ?? 'refused'));
          return resolve({ reply, ended, close: () => socket.destroy() });
        }
        if ('tap' in frame && frame.tap === 'record') onRecord(frame);
        else if ('tap' in frame && frame.tap === 'end') finish(frame);
      },
    );
    socket.on('connect', () => {
      if (target.kind === 'unix') socket.write(encodeFrame(text));
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        fail(error as Error);
      }
    });
    socket.on('error', (error) => (replied ? finish(null) : fail(error)));
    socket.on('close', () => (replied ? finish(null) : fail(new Error('connection closed before the reply'))));
  });
}
