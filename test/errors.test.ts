import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, errorCategory, isBug, REFUSAL_CODES } from '../src/errors';
import { ConfigError } from '../src/config';
import { KnowledgeUnavailableError } from '../src/knowledge';
import { LlmFailureError } from '../src/planner/llmModel';
import { CircuitOpenError } from '../src/resilience';
import { ETagConflictError, InvalidStorageInputError, StorageUnavailableError } from '../src/storage';

const SRC = join(__dirname, '..', 'src');
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}
const sources = sourceFiles(SRC).map((path) => ({
  path: relative(SRC, path),
  text: readFileSync(path, 'utf8'),
}));

describe('error code catalogue', () => {
  it('documents every code with a category and a sentence', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(code, code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(['dependency', 'input', 'conflict', 'config', 'bug']).toContain(entry.category);
      expect(entry.description.length, code).toBeGreaterThan(15);
    }
  });

  it('documents every refusal code of the result unions', () => {
    for (const [code, description] of Object.entries(REFUSAL_CODES)) {
      expect(code).toMatch(/^[a-z_]+$/);
      expect(description.length, code).toBeGreaterThan(15);
    }
  });

  it('each code is raised by exactly one place in src/ (unique), and none is unused', () => {
    const uses = new Map<string, string[]>();
    for (const { path, text } of sources) {
      if (path === 'errors.ts') continue;
      for (const m of text.matchAll(/'([A-Z][A-Z_]+)'/g)) {
        if (!(m[1]! in ERROR_CODES)) continue;
        uses.set(m[1]!, [...(uses.get(m[1]!) ?? []), path]);
      }
    }
    for (const code of Object.keys(ERROR_CODES)) expect(uses.get(code), code).toHaveLength(1);
  });

  it('every error class in src/ extends AppError', () => {
    const offenders = sources.flatMap(({ path, text }) =>
      [...text.matchAll(/class (\w+) extends (\w*Error)\b/g)]
        .filter((m) => m[2] !== 'AppError' && m[1] !== 'AppError')
        .map((m) => `${path}: ${m[1]} extends ${m[2]}`),
    );
    expect(offenders).toEqual([]);
  });

  it('carries code, category, name and cause', () => {
    const cause = new Error('socket hang up');
    const err = new StorageUnavailableError('down', 'state.read', 503, { cause });
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      category: 'dependency',
      name: 'StorageUnavailableError',
    });
    expect(err.cause).toBe(cause);
    expect(new ETagConflictError('k')).toMatchObject({
      code: 'ETAG_CONFLICT',
      category: 'conflict',
      statusCode: 412,
    });
    expect(new InvalidStorageInputError('bad').category).toBe('input');
    expect(new ConfigError('PORT', 'must be a number').category).toBe('config');
    expect(new LlmFailureError('rate_limited')).toMatchObject({
      code: 'LLM_RATE_LIMITED',
      kind: 'rate_limited',
    });
    expect(new LlmFailureError('too_long').category).toBe('input');
    expect(new CircuitOpenError('search').code).toBe('CIRCUIT_OPEN');
    expect(new KnowledgeUnavailableError('azure', 'x').name).toBe('KnowledgeUnavailableError');
  });
});

describe('errorCategory: bugs are told apart from failures', () => {
  it('a TypeError or ReferenceError is a bug; a typed failure is not', () => {
    expect(isBug(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(true);
    expect(isBug(new ReferenceError('x is not defined'))).toBe(true);
    expect(isBug(new LlmFailureError('error'))).toBe(false);
    expect(isBug(new StorageUnavailableError('down', 'state.read'))).toBe(false);
    // undici's connection failure is a TypeError by type only.
    expect(errorCategory(new TypeError('fetch failed'))).toBe('dependency');
    expect(errorCategory(new Error('something a library threw'))).toBeUndefined();
    expect(errorCategory('a string')).toBeUndefined();
  });
});
