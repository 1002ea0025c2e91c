/**
 * An OpenTimelineIO timeline (`<stem>.summary.otio`, OTIO's JSON): Timeline → Stack → a video track (and an audio
 * track when the source has sound) of Clips whose source ranges are RationalTimes at the video's frame rate,
 * each referencing the source file, so the summary opens as an editable cut in any OTIO-aware editor.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { ExportInput } from './summary-shots';

function rationalTime(value: number, rate: number) {
  return { OTIO_SCHEMA: 'RationalTime.1', rate, value };
}

function timeRange(start: number, duration: number, rate: number) {
  return { OTIO_SCHEMA: 'TimeRange.1', start_time: rationalTime(start, rate), duration: rationalTime(duration, rate) };
}

export function summaryOtio(input: ExportInput): string {
  const { source } = input;
  const rate = source.fpsRational ? source.fpsRational.num / source.fpsRational.den : source.fps;
  const name = path.basename(source.path);
  const media = () => ({
    OTIO_SCHEMA: 'ExternalReference.1',
    name,
    target_url: pathToFileURL(source.path).href,
    available_range: timeRange(0, source.nFrames, rate),
    available_image_bounds: null,
    metadata: {},
  });
  const clips = () =>
    input.shots.map((s, i) => ({
      OTIO_SCHEMA: 'Clip.2',
      name: `Shot ${i + 1}`,
      source_range: timeRange(s.start, s.end - s.start, rate),
      media_references: { DEFAULT_MEDIA: media() },
      active_media_reference_key: 'DEFAULT_MEDIA',
      effects: [],
      markers: [],
      enabled: true,
      metadata: { vsum: { segment: s.segment, score: s.score } },
    }));
  const track = (kind: 'Video' | 'Audio', trackName: string) => ({
    OTIO_SCHEMA: 'Track.1',
    name: trackName,
    kind,
    source_range: null,
    effects: [],
    markers: [],
    enabled: true,
    metadata: {},
    children: clips(),
  });
  const tracks = [track('Video', 'V1'), ...(source.hasAudio ? [track('Audio', 'A1')] : [])];
  const timeline = {
    OTIO_SCHEMA: 'Timeline.1',
    name: input.title,
    global_start_time: null,
    metadata: {},
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      metadata: {},
      children: tracks,
    },
  };
  return JSON.stringify(timeline, null, 2) + '\n';
}
