/**
 * One error type for everything a user can cause or fix. The message always names the file (when there is one),
 * what is wrong, and what to do; adapters (CLI, notebook kernel) print `message` as is, never a stack trace.
 */
export type VsumErrorCode =
  | 'FILE_NOT_FOUND'
  | 'NOT_A_VIDEO'
  | 'EMPTY_FILE'
  | 'NO_VIDEO_STREAM'
  | 'TRUNCATED'
  | 'TOO_SHORT'
  | 'FFMPEG_NOT_FOUND'
  | 'FFMPEG_FAILED'
  | 'CANCELLED'
  | 'BAD_INPUT'
  | 'BAD_FILE'
  | 'MODEL'
  | 'EP_UNAVAILABLE'
  | 'OFFLINE'
  | 'WRITE_FAILED'
  /** The process running the stages stopped (crash, out of memory); it is restarted for the next stage. */
  | 'ENGINE_CRASHED';

export class VsumError extends Error {
  readonly code: VsumErrorCode;
  readonly file?: string;
  constructor(code: VsumErrorCode, message: string, options?: { file?: string; cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'VsumError';
    this.code = code;
    this.file = options?.file;
  }
}

/** The error every cancellable call throws when its AbortSignal fires. */
export class CancelledError extends VsumError {
  constructor(what = 'operation') {
    super('CANCELLED', `Cancelled: ${what} was stopped before it finished.`);
    this.name = 'CancelledError';
  }
}

export function isCancelled(e: unknown): e is CancelledError {
  return e instanceof VsumError && e.code === 'CANCELLED';
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}
