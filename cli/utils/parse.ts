import { InvalidArgumentError } from 'commander';

/** A commander option parser for whole numbers in [min, max]. */
export function intOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** Collects a repeatable or variadic option into one list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
