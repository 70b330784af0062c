/** A LoadError thrown in a worker keeps its message code and source on the page. */
import { expose, wrap } from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from './errors.ts';
import { msg } from './messages.ts';
import { errorDetail, keepErrorDetails } from './worker-errors.ts';

const channels: MessageChannel[] = [];
afterAll(() => channels.forEach((c) => (c.port1.close(), c.port2.close())));

/** A "worker" on the other end of a MessageChannel, as Comlink talks to a real one. */
function remote(): { fail(): Promise<void> } {
  const channel = new MessageChannel();
  channels.push(channel);
  expose({ fail: () => Promise.reject(new FormatError(msg('notJsonAt', { file: 'a.geojson', line: 3, column: 38 }), 'a.geojson')) }, channel.port1);
  return wrap<{ fail(): Promise<void> }>(channel.port2);
}

describe('errors across the worker boundary', () => {
  it('Comlink alone loses the code and the source (why keepErrorDetails exists)', async () => {
    const err = (await remote().fail().then(() => null, (e: unknown) => e)) as Error & { detail?: unknown; source?: unknown };
    expect(err.message).toBe('a.geojson is not valid JSON: the text cannot be read at line 3, column 38');
    expect(err.detail).toBeUndefined();
    expect(err.source).toBeUndefined();
  });

  it('with keepErrorDetails the page gets them, ready for the UI to say in its language', async () => {
    keepErrorDetails();
    const err = (await remote().fail().then(() => null, (e: unknown) => e)) as Error & { source?: unknown };
    expect(err.name).toBe('FormatError');
    expect(err.source).toBe('a.geojson');
    expect(errorDetail(err)).toEqual({ code: 'notJsonAt', params: { file: 'a.geojson', line: 3, column: 38 } });
    expect(errorDetail(new Error('plain'))).toBeNull();
  });
});
