/**
 * A Web Worker stand-in for Node tests: the page side of a MessageChannel, with the real
 * API exposed by Comlink on the other side. Terminating it closes the channel, as a real
 * worker's termination does, so calls in flight never answer.
 */
import { MessageChannel } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';

export interface FakeWorkers {
  /** Pass as the client's worker factory. */
  factory: () => Worker;
  /** How many workers were started. */
  readonly started: number;
  /** How many were terminated. */
  readonly terminated: number;
}

export function fakeWorkers<T extends object>(makeApi: () => T): FakeWorkers {
  let started = 0;
  let terminated = 0;
  const factory = (): Worker => {
    started++;
    const { port1, port2 } = new MessageChannel();
    expose(makeApi(), nodeEndpoint(port2));
    const ep = nodeEndpoint(port1) as unknown as Worker;
    return Object.assign(ep, {
      terminate: () => {
        terminated++;
        port1.close();
        port2.close();
      },
    });
  };
  return {
    factory,
    get started() {
      return started;
    },
    get terminated() {
      return terminated;
    },
  };
}
