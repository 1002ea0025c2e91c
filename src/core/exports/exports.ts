/**
 * The exports written beside a summary (`--export csv,vtt,edl,otio,concat`; default csv and vtt): the registry of
 * formats, their file names, and the one function that writes the chosen ones atomically.
 */
import path from 'node:path';
import { VsumError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { summaryConcat } from './concat';
import { summaryCsv } from './csv';
import { summaryEdl } from './edl';
import { summaryOtio } from './otio';
import type { ExportInput } from './summary-shots';
import { summaryVtt } from './vtt';

export type ExportFormat = 'csv' | 'vtt' | 'edl' | 'otio' | 'concat';

interface FormatSpec {
  suffix: string;
  render: (input: ExportInput, file: string) => string;
}

const FORMATS: Record<ExportFormat, FormatSpec> = {
  csv: { suffix: '.summary.csv', render: (i) => summaryCsv(i) },
  vtt: { suffix: '.chapters.vtt', render: (i) => summaryVtt(i) },
  edl: { suffix: '.summary.edl', render: (i) => summaryEdl(i) },
  otio: { suffix: '.summary.otio', render: (i) => summaryOtio(i) },
  concat: { suffix: '.concat.txt', render: (i, f) => summaryConcat(i, f) },
};

export const EXPORT_FORMATS = Object.keys(FORMATS) as ExportFormat[];
export const DEFAULT_EXPORTS: readonly ExportFormat[] = ['csv', 'vtt'];

/** Parses `csv,vtt` (or `none` / empty for no exports); unknown names are refused with the list. */
export function parseExportFormats(value: string | readonly string[]): ExportFormat[] {
  const names = (typeof value === 'string' ? value.split(',') : [...value])
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return [];
  const bad = names.filter((n) => !(n in FORMATS));
  if (bad.length)
    throw new VsumError(
      'BAD_INPUT',
      `Unknown export format ${bad.map((b) => `"${b}"`).join(', ')}: choose from ${EXPORT_FORMATS.join(', ')} (comma-separated), or none.`,
    );
  return [...new Set(names)] as ExportFormat[];
}

export function exportPath(outDir: string, stem: string, format: ExportFormat): string {
  return path.join(outDir, stem + FORMATS[format].suffix);
}

/** Writes each chosen export atomically; returns the files written, in `formats` order. */
export async function writeExports(
  input: ExportInput,
  outDir: string,
  stem: string,
  formats: readonly ExportFormat[],
): Promise<string[]> {
  const written: string[] = [];
  for (const f of formats) {
    const file = exportPath(outDir, stem, f);
    await writeFileAtomic(file, FORMATS[f].render(input, file));
    written.push(file);
  }
  return written;
}
