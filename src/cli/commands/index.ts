/**
 * Every CLI command, one file each. A command module exports `register(program)`; add new ones here.
 */
import type { Command } from 'commander';
import { register as probe } from './probe';

export const commands: Array<(program: Command) => void> = [probe];
