/** The messages between the engine client (host side) and the engine process, over Node's IPC channel. */
import type { VsumErrorCode } from '../../core/errors';
import type { StageReply, StageRequest } from './engine';

export type ToEngine =
  | { type: 'run'; id: number; req: StageRequest }
  | { type: 'cancel'; id: number }
  /** Which ffmpeg children the engine has running (tests prove a cancel leaves none). */
  | { type: 'children'; id: number };

/** An error as it crosses the boundary: a VsumError keeps its code (CANCELLED stays a cancellation). */
export interface WireError {
  message: string;
  code?: VsumErrorCode;
  file?: string;
  stack?: string;
}

export type FromEngine =
  | { type: 'progress'; id: number; message: string; fraction?: number }
  | { type: 'log'; id: number; line: string }
  | { type: 'done'; id: number; reply: StageReply }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'children'; id: number; pids: number[] };
