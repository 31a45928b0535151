/**
 * One connection to a control endpoint (Unix socket or TCP): reads frames one at a time, lets
 * `decodeControlFrame` decide what each is, and carries out what it says. A `tail` takes the
 * connection over (control/tap.ts); Python's bare frames are applied once and the connection closed.
 *
 * Invariants: one frame at a time (reading pauses while a command runs, so a flood cannot queue
 * work); a frame over the limit is refused before a byte of it is buffered; a frame not complete
 * within `frameTimeoutMs` of its first byte closes the connection; replies a peer does not read
 * never pile up past one frame's size.
 */
import type { Socket } from 'node:net';
import { formatHello, newNonce } from './auth.js';
import { decodeControlFrame } from './frame-decision.js';
import { encodeFrame, FrameDeadline, FrameDecoder, FrameTooLargeError } from './framing.js';
import { applyLegacy, type VerifyHook } from './legacy-apply.js';
import { executeCommand } from './operations.js';
import { type ControlCommand, type ControlReply, rejectionReply } from './protocol.js';
import { report } from './report.js';
import { repliesPileUp, requesterOf } from './server-policy.js';
import { processIdentity } from './state.js';
import { isTailCommand, startTap } from './tap.js';

/** What every connection of one endpoint shares. */
export interface ConnectionSettings {
  secret: string | undefined;
  legacy: boolean;
  maxFrame: number;
  frameTimeoutMs: number;
  verify: VerifyHook | undefined;
}

export class ControlConnection {
  /** Last time the peer sent anything (the cap closes the connection idle the longest). */
  lastActivity = Date.now();
  private readonly decoder: FrameDecoder;
  private readonly deadline: FrameDeadline;
  private readonly address: string | undefined;
  /** This connection's unspent challenge (TCP), null once used. */
  private nonce: string | null = null;
  /** Commands of this connection, run one after the other. */
  private busy: Promise<void> = Promise.resolve();
  /** No more frames are read (refused, ended, handed to a tap or to Python's semantics). */
  private dead = false;

  constructor(
    readonly socket: Socket,
    private readonly via: 'unix' | 'tcp',
    private readonly settings: ConnectionSettings,
  ) {
    this.decoder = new FrameDecoder(settings.maxFrame);
    this.address = via === 'tcp' ? `${socket.remoteAddress}:${socket.remotePort}` : undefined;
    this.deadline = new FrameDeadline(settings.frameTimeoutMs, () =>
      this.refuse(`frame not complete within ${settings.frameTimeoutMs} ms of its first byte; connection closed`),
    );
    if (via === 'tcp') this.greet();
    socket.on('close', () => this.release());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Python's listener spins forever on a peer that closes mid-frame; we discard the partial
    // frame, answer what was complete, and close.
    socket.on('end', () => {
      this.release();
      this.dead = true;
      void this.busy.then(() => socket.end());
    });
  }

  /** TCP: the greeting with this connection's challenge. */
  private greet(): void {
    this.nonce = newNonce();
    const identity = processIdentity();
    this.socket.write(
      formatHello({
        logdial: 1,
        nonce: this.nonce,
        auth: this.settings.secret ? 'hmac-sha256' : null,
        legacy: this.settings.legacy,
        pid: identity.pid,
        app: identity.app,
        processName: identity.processName,
        now: Date.now(),
      }),
    );
  }

  private release(): void {
    this.deadline.stop();
    this.decoder.reset();
  }

  private onData(chunk: Buffer): void {
    if (this.dead) return;
    this.lastActivity = Date.now();
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      // Refuse before buffering a byte of it; stop reading this connection altogether.
      if (error instanceof FrameTooLargeError) return this.refuse(error.message);
      // Never into the application's event loop.
      report('control connection failed', error);
      this.socket.destroy();
      return;
    }
    this.deadline.update(frames.length, this.decoder.partial);
    if (frames.length === 0) return;
    this.socket.pause();
    this.busy = this.busy
      .then(async () => {
        // A complete frame is carried out even if the peer is gone already (Python's senders
        // close right after sending).
        for (const frame of frames) await this.handleFrame(frame);
        if (!this.socket.destroyed && !this.dead) this.socket.resume();
      })
      .catch((error: unknown) => report('control command failed', error));
  }

  private send(reply: ControlReply): void {
    const socket = this.socket;
    if (socket.destroyed || !socket.writable) return;
    if (repliesPileUp(socket.writableLength, this.settings.maxFrame)) return void socket.destroy();
    socket.write(encodeFrame(JSON.stringify(reply)));
  }

  /** Stops reading, answers `why` (best effort) and closes; what the decoder held is released. */
  private refuse(why: string): void {
    this.dead = true;
    this.release();
    this.socket.pause();
    this.send(rejectionReply('unknown', why, processIdentity()));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    const { via, settings } = this;
    const decision = decodeControlFrame(frame, {
      via,
      secret: settings.secret,
      nonce: this.nonce,
      legacy: settings.legacy,
    });
    switch (decision.kind) {
      case 'execute':
        if (decision.spendNonce) this.nonce = null;
        return this.execute(decision.command as ControlCommand);
      case 'reject':
        if (decision.spendNonce) this.nonce = null;
        if (decision.audit) report(`${decision.audit} (from ${this.address ?? via})`);
        if (decision.reply) this.send(rejectionReply('unknown', decision.message, processIdentity()));
        return;
      case 'legacy':
        // Python reads one config per connection.
        this.dead = true;
        await applyLegacy(frame, decision, this.address ?? 'tcp', settings.verify);
        this.socket.end();
        return;
    }
  }

  /** A `tail` takes the connection over; any other command gets one reply. */
  private async execute(cmd: ControlCommand): Promise<void> {
    if (isTailCommand(cmd)) {
      if (startTap(this.socket, cmd)) this.dead = true;
      return;
    }
    this.send(await executeCommand(cmd, requesterOf(this.via, this.address, cmd)));
  }
}
