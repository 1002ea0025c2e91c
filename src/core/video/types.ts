/** What a video is (probe.ts, from ffmpeg), normalised. */
export interface VideoInfo {
  path: string;
  /** Exact number of video frames (container count, or packets counted when the container does not say). */
  frames: number;
  /** Frame rate as a rational (avg_frame_rate, falling back to r_frame_rate). */
  fpsRational: { num: number; den: number };
  /** fps as a float (num / den). */
  fps: number;
  /** Seconds. */
  duration: number;
  /** Presentation time of the first frame, seconds (usually 0). */
  startTime: number;
  /** Coded size, before rotation. */
  width: number;
  height: number;
  /** Display rotation in degrees (0, 90, 180, 270); decoders apply it, so decoded frames are rotated. */
  rotation: number;
  codec: string;
  hasAudio: boolean;
  /** True when the stream has a variable frame rate (r_frame_rate ≠ avg_frame_rate). */
  variableFrameRate: boolean;
  /**
   * Set once the video was decoded and the container's frame count proved wrong (an edit list that trims the start,
   * a stream cut without re-encoding): what the container said. `frames` then holds the count decoded, which every
   * stage after decoding uses, since those are the frames that exist.
   */
  containerFrames?: number;
}

export type PixelFormat = 'rgb24' | 'bgr24';
/** `squash`: scale to W×H ignoring aspect (the original's cv2.resize). `crop`: shortest side to fit, centre crop. */
export type ResizeMode = 'squash' | 'crop';

export interface FrameFormat {
  width: number;
  height: number;
  pixFmt: PixelFormat;
  resize: ResizeMode;
}

/** One decoded frame: `data` is width·height·3 bytes, row-major, interleaved channels. */
export interface Frame {
  index: number;
  data: Uint8Array;
}

/** 8 (or `clipLength`) consecutive frames. `validFrames` < frames.length when the last clip was padded. */
export interface Clip {
  index: number;
  firstFrame: number;
  frames: Uint8Array[];
  validFrames: number;
}

/** File extensions read as videos (a folder given to `load` / `vsum batch`, "Summarize Video"). */
export const VIDEO_EXTENSIONS = [
  '.mp4',
  '.webm',
  '.mkv',
  '.avi',
  '.mov',
  '.m4v',
  '.mpg',
  '.mpeg',
  '.flv',
  '.wmv',
  '.ogv',
];
