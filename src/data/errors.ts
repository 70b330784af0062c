/**
 * A small error tree so the UI can say what went wrong without parsing messages.
 * Every error names the source (file or URL) it is about, and carries what it says as a
 * code with parameters (`detail`), which the UI renders in its language; `message` is the
 * English for the CLI and logs.
 */
import { englishMessage, msg, type DataMessage } from './messages.ts';

export class LoadError extends Error {
  override name = 'LoadError';
  /** What went wrong, as a message code and parameters. */
  readonly detail: DataMessage;
  constructor(
    message: string | DataMessage,
    /** File name or URL the error is about. */
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    const detail = typeof message === 'string' ? msg('plain', { text: message }) : message;
    super(englishMessage(detail), options);
    this.detail = detail;
  }
}

/** The bytes are not what the format says they should be (bad magic, truncated, corrupt). */
export class FormatError extends LoadError {
  override name = 'FormatError';
}

/** The coordinate reference system is missing, unknown or unsupported. */
export class CrsError extends LoadError {
  override name = 'CrsError';
}

/** True for the errors an aborted fetch or an AbortSignal produce; callers ignore those. */
export function isAbortError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'name' in err &&
    ((err).name === 'AbortError' || (err).name === 'TimeoutError')
  );
}

/** The error a cancelled or superseded request ends with, recognised by `isAbortError`. */
export function abortError(why: string): Error {
  return new DOMException(why, 'AbortError');
}
