/** A bad flag value or combination: printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parse a number flag, or throw a UsageError naming the flag. */
export function numberOption(flag: string, value: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${value}"`);
  if (opts.integer && !Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
  if (opts.min !== undefined && n < opts.min) throw new UsageError(`${flag} must be ≥ ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max) throw new UsageError(`${flag} must be ≤ ${opts.max}, got ${n}`);
  return n;
}

/** Parse an enum flag, or throw a UsageError listing the choices. */
export function choiceOption<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}
