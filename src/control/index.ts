/**
 * `logdial/control`: the control plane as a library — start an endpoint, carry out commands in
 * this process, talk to other processes (Unix socket or TCP), find them, and the wire format.
 * Importing it loads the control plane; `import 'logdial'` alone does not.
 * @packageDocumentation
 */
export type * from './protocol.js';
export { rejectionReply } from './protocol.js';
export { listen, listenFromEnv, type ListenOptions, type ListenHandle } from './listen.js';
export { listenOptionsFromEnv, parseAllowList } from './listen-env.js';
export { executeCommand, statusInfo, currentLevels } from './operations.js';
export {
  sendCommand,
  sendToTarget,
  sendToAll,
  localTargets,
  tcpTargets,
  legacyPayloadFor,
  senderInfo,
  NoAnswerError,
  type Target,
  type UnixTarget,
  type TcpTarget,
  type TargetResult,
  type SendOptions,
  type SendAllOptions,
} from './client.js';
export { discover, pidAlive, type DiscoveryFilter } from './discovery.js';
export { runtimeDir, ensureRuntimeDir } from './runtime-dir.js';
export { encodeFrame, FrameDecoder, FrameTooLargeError } from './framing.js';
