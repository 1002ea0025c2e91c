/**
 * A view turns one stage's plain results into notebook outputs (mime items). It runs where the stage ran (the
 * engine), since some outputs need ffmpeg (thumbnails) or read files (the summary video).
 */
import type { StageIo, StageProgress } from '../../core/stages/stage';
import type { OutputSpec } from '../outputs';

export interface ViewIo extends Pick<StageIo, 'notebookDir' | 'settings' | 'tools'> {
  signal: AbortSignal;
  /** Progress of slow views (thumbnails). */
  progress?: StageProgress;
}

export type View<R> = (result: R, io: ViewIo) => Promise<OutputSpec[]>;
