import type { WorkerToHost } from '../protocol/workerMessages.js';

/** The worker's side of the channel to the extension host. */
export interface WorkerPort {
  /** Resolves once the message has been handed to the transport (so senders can pace themselves). */
  send(message: WorkerToHost): Promise<void>;
  onMessage(handler: (message: unknown) => void): void;
  /** The host went away (it closed the channel or died). */
  onDisconnect(handler: () => void): void;
}

/** The IPC channel of a process started with `child_process.fork`. */
export function processPort(proc: NodeJS.Process = process): WorkerPort {
  const send = proc.send?.bind(proc);
  if (!send) throw new Error('the CardCheck worker must be started with child_process.fork (no IPC channel)');
  return {
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        send(message, undefined, {}, (error: Error | null) => (error ? reject(error) : resolve()));
      }),
    onMessage: (handler) => {
      proc.on('message', handler);
    },
    onDisconnect: (handler) => {
      proc.on('disconnect', handler);
    },
  };
}
