/**
 * Reads Bicep files through the tree-sitter-bicep grammar (web-tree-sitter + the grammar's wasm),
 * and exposes the declarations the infra tests reason about. The Bicep CLI cannot run here, so
 * the parse tree is the closest thing to the compiler's view we have.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';

export type { Node };

let parserPromise: Promise<Parser> | undefined;

/** One parser per test file; the wasm grammar ships inside the tree-sitter-bicep package. */
export function bicepParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const wasm = join(dirname(require.resolve('tree-sitter-bicep/package.json')), 'tree-sitter-bicep.wasm');
    const language = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

export interface SyntaxProblem {
  kind: 'ERROR' | 'MISSING';
  line: number;
  column: number;
  text: string;
}

export interface ResourceDecl {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  /** The `for` expression when the declaration is a loop, else null. */
  loop: Node | null;
  /** The object literal with the resource body (the loop body for loops). */
  body: Node;
  /** The condition of `= if (cond) { … }` (parentheses included), else null. */
  condition: Node | null;
}

export interface ModuleDecl {
  symbol: string;
  path: string;
  body: Node;
  /** The condition of `= if (cond) { … }` (parentheses included), else null. */
  condition: Node | null;
}

export interface OutputDecl {
  name: string;
  value: Node;
  decorators: string[];
}

export interface ParamDecl {
  name: string;
  decorators: string[];
  defaultValue: Node | null;
}

export interface BicepFile {
  path: string;
  root: Node;
  problems: SyntaxProblem[];
  resources: ResourceDecl[];
  modules: ModuleDecl[];
  outputs: OutputDecl[];
  params: ParamDecl[];
  variables: Map<string, Node>;
}

export function syntaxProblems(root: Node): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: Node): void => {
    if (node.isError || node.isMissing) {
      problems.push({
        kind: node.isError ? 'ERROR' : 'MISSING',
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.text.slice(0, 80),
      });
    }
    for (const child of node.children) visit(child);
  };
  visit(root);
  return problems;
}

/** The unquoted value of a plain string literal (no interpolation), else null. */
export function stringValue(node: Node | null | undefined): string | null {
  if (!node || node.type !== 'string') return null;
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return null;
  return node.namedChildren
    .filter((c) => c.type === 'string_content' || c.type === 'escape_sequence')
    .map((c) => c.text)
    .join('');
}

/** Drops redundant parentheses: `(x)` → `x`. */
export function unwrap(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildren.length === 1) {
    current = current.namedChildren[0];
  }
  return current;
}

/** Key → value node of an object literal (keys may be identifiers or quoted strings). */
export function objectEntries(obj: Node | null | undefined): Map<string, Node> {
  const entries = new Map<string, Node>();
  if (!obj || obj.type !== 'object') return entries;
  for (const prop of obj.namedChildren) {
    if (prop.type !== 'object_property') continue;
    const [key, value] = prop.namedChildren.filter((c) => c.type !== 'comment');
    if (!key || !value) continue;
    const name = key.type === 'string' ? stringValue(key) : key.text;
    if (name !== null) entries.set(name, value);
  }
  return entries;
}

/** Value at a dotted path inside nested object literals, e.g. `properties.siteConfig.alwaysOn`. */
export function propertyAt(obj: Node | null | undefined, path: string): Node | null {
  let current: Node | null | undefined = obj;
  for (const part of path.split('.')) {
    if (!current) return null;
    current = objectEntries(unwrap(current)).get(part) ?? null;
  }
  return current ? unwrap(current) : null;
}

/** All descendants (including the node) of the given types. */
export function descendants(node: Node, types: string[]): Node[] {
  const found: Node[] = [];
  const visit = (n: Node): void => {
    if (types.includes(n.type)) found.push(n);
    for (const child of n.namedChildren) visit(child);
  };
  visit(node);
  return found;
}

/** `a.b.c` member chain as ['a', 'b', 'c'], or null when it is not a plain chain of names. */
export function memberChain(node: Node): string[] | null {
  const n = unwrap(node);
  if (n.type === 'identifier') return [n.text];
  if (n.type !== 'member_expression') return null;
  const object = n.childForFieldName('object');
  const property = n.childForFieldName('property');
  if (!object || !property) return null;
  const head = memberChain(object);
  return head ? [...head, property.text] : null;
}

/** Name of the function a call expression calls (`listKeys` for `a.listKeys()`), else null. */
export function calledFunction(call: Node): string | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'member_expression') return fn.childForFieldName('property')?.text ?? null;
  return null;
}

/** Decorator names directly preceding the declaration at `index` among the root's children. */
function decoratorsBefore(children: Node[], index: number): string[] {
  for (let i = index - 1; i >= 0; i--) {
    const prev = children[i];
    if (prev.type === 'comment') continue;
    if (prev.type !== 'decorators') return [];
    return prev.namedChildren
      .map((d) => d.namedChildren[0])
      .filter((expr): expr is Node => Boolean(expr))
      .map((expr) => (expr.type === 'call_expression' ? (calledFunction(expr) ?? expr.text) : expr.text));
  }
  return [];
}

export function readBicep(parser: Parser, path: string): BicepFile {
  return readBicepSource(parser, readFileSync(path, 'utf8'), path);
}

/** Parses Bicep source text (also used by the tests that prove a check fails on bad input). */
export function readBicepSource(parser: Parser, source: string, path = 'snippet.bicep'): BicepFile {
  const tree = parser.parse(source);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${path}`);
  const root = tree.rootNode;
  const file: BicepFile = {
    path,
    root,
    problems: syntaxProblems(root),
    resources: [],
    modules: [],
    outputs: [],
    params: [],
    variables: new Map(),
  };
  const children = root.namedChildren;
  children.forEach((node, index) => {
    const named = node.namedChildren;
    switch (node.type) {
      case 'resource_declaration': {
        const [symbol, typeString] = named;
        const [type, apiVersion = ''] = (stringValue(typeString) ?? '').split('@');
        const last = named[named.length - 1];
        // `resource r '…' = if (cond) { … }`: the body is the if statement's object.
        const conditional = last.type === 'if_statement';
        const value = conditional ? (last.namedChildren.at(-1) ?? last) : last;
        const condition = conditional ? last.namedChildren[0] : null;
        const loop = value.type === 'for_statement' ? value : null;
        const body = loop ? (loop.childForFieldName('body') ?? loop) : value;
        const existing = node.children.some((c) => !c.isNamed && c.type === 'existing');
        file.resources.push({
          symbol: symbol.text,
          type,
          apiVersion,
          existing,
          loop,
          body: unwrap(body),
          condition,
        });
        break;
      }
      case 'module_declaration': {
        const [symbol, pathString] = named;
        const value = named[named.length - 1];
        // `module m '…' = if (cond) { … }`: the body is the if statement's object.
        const conditional = value.type === 'if_statement';
        const body = conditional ? (value.namedChildren.at(-1) ?? value) : value;
        const condition = conditional ? value.namedChildren[0] : null;
        file.modules.push({ symbol: symbol.text, path: stringValue(pathString) ?? '', body, condition });
        break;
      }
      case 'output_declaration':
        file.outputs.push({
          name: named[0].text,
          value: named[named.length - 1],
          decorators: decoratorsBefore(children, index),
        });
        break;
      case 'parameter_declaration': {
        const typeIndex = named.findIndex((c) => c.type === 'type');
        const defaultValue = typeIndex >= 0 && typeIndex < named.length - 1 ? named[named.length - 1] : null;
        file.params.push({
          name: named[0].text,
          decorators: decoratorsBefore(children, index),
          defaultValue,
        });
        break;
      }
      case 'variable_declaration':
        file.variables.set(named[0].text, named[named.length - 1]);
        break;
    }
  });
  return file;
}

/** Every .bicep file under a folder, recursively. */
export function bicepFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...bicepFilesUnder(full));
    else if (entry.name.endsWith('.bicep')) files.push(full);
  }
  return files.sort();
}
