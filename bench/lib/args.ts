import { parseArgs } from 'node:util';

export interface OptionSpec {
  description: string;
  required?: boolean;
  default?: string;
}

/**
 * Parses `--name value` string options with node:util parseArgs; unknown options, missing required
 * ones and `--help` produce a usage text in the thrown error (the caller prints it and exits 2).
 */
export function parseBenchArgs<K extends string>(
  argv: string[],
  specs: Record<K, OptionSpec>,
  usageLine: string,
): Record<K, string> {
  const usage = [
    usageLine,
    ...Object.entries<OptionSpec>(specs).map(
      ([name, spec]) =>
        `  --${name} <value>  ${spec.description}${spec.required ? ' (required)' : ''}${spec.default !== undefined ? ` [default: ${spec.default}]` : ''}`,
    ),
  ].join('\n');
  let values: Record<string, string | boolean | undefined>;
  try {
    const options: Record<string, { type: 'string' } | { type: 'boolean' }> = { help: { type: 'boolean' } };
    for (const name of Object.keys(specs)) options[name] = { type: 'string' };
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new BenchUsageError(`${(error as Error).message}\n${usage}`);
  }
  if (values.help) throw new BenchUsageError(usage);
  const out = {} as Record<K, string>;
  for (const [name, spec] of Object.entries<OptionSpec>(specs)) {
    const value = values[name];
    if (typeof value === 'string') out[name as K] = value;
    else if (spec.default !== undefined) out[name as K] = spec.default;
    else if (spec.required) throw new BenchUsageError(`missing --${name}\n${usage}`);
  }
  return out;
}

export class BenchUsageError extends Error {}
