/**
 * Every CLI command, one file each. A command module exports `register(program, ctx)`; add new ones here.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { register as probe } from './probe';
import { register as summarize } from './summarize';
import { register as kts } from './kts';
import { register as batch } from './batch';
import { register as demo } from './demo';
import { register as model } from './model';
import { register as embed } from './embed';
import { register as attention } from './attention';
import { register as rollout } from './rollout';
import { register as evaluate } from './evaluate';
import { register as baseline } from './baseline';
import { register as exportEvs } from './export-evs';
import { register as run } from './run';
import { register as shots } from './shots';
import { register as h5 } from './h5';

export const commands: Array<(program: Command, ctx: CliContext) => void> = [
  probe,
  summarize,
  kts,
  batch,
  demo,
  model,
  embed,
  attention,
  rollout,
  evaluate,
  baseline,
  exportEvs,
  shots,
  h5,
  run,
];
