/**
 * Every stage, by name, and the one JSON schema of stage cells built from their option schemas. Adding a stage:
 * its file in this folder plus one line here.
 */
import { attentionStage } from './attention';
import { embedStage } from './embed';
import { evaluateStage } from './evaluate';
import { loadStage } from './load';
import type { SchemaNode } from './schema';
import { scriptStage } from './script';
import { shotsStage } from './shots';
import type { SessionSlot } from './slots';
import type { Stage } from './stage';
import { summarizeStage } from './summarize';

export const STAGES = {
  load: loadStage,
  embed: embedStage,
  summarize: summarizeStage,
  evaluate: evaluateStage,
  attention: attentionStage,
  shots: shotsStage,
  script: scriptStage,
} as const;

export type StageName = keyof typeof STAGES;
export const STAGE_NAMES = Object.keys(STAGES) as StageName[];

export function isStageName(name: string): name is StageName {
  return Object.prototype.hasOwnProperty.call(STAGES, name);
}

/** The stage called `name` (typed loosely: the caller validated its options against its schema). */
export function stageNamed(name: string): Stage | undefined {
  return isStageName(name) ? (STAGES[name] as unknown as Stage) : undefined;
}

export function stageSchema(name: string): SchemaNode | undefined {
  return stageNamed(name)?.schema;
}

/** The one schema of a stage cell: `stage: options` with exactly one stage. */
export const STAGE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'vsum stage cell',
  description: 'A stage cell holds one stage: its name and its options, in YAML.',
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(STAGE_NAMES.map((n) => [n, STAGES[n].schema])) as unknown as Record<
    StageName,
    SchemaNode
  >,
} as const satisfies SchemaNode & { $schema: string; title: string };

/** Stages that give `slot`. */
export function giversOf(slot: SessionSlot): StageName[] {
  return STAGE_NAMES.filter((n) => STAGES[n].gives.includes(slot as never));
}

/** What a new value of `slot` invalidates: the `invalidates` of the stages that give it. */
export function invalidatedBy(slot: SessionSlot): SessionSlot[] {
  return [...new Set(giversOf(slot).flatMap((n) => [...STAGES[n].invalidates]))];
}
