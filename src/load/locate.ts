import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, FieldPath } from '../diagnostics/index.js';
import type { Definitions } from './definitions.js';

type Ts = typeof import('typescript');
type Node = import('typescript').Node;

/**
 * Fills in `line` and `column` of diagnostics from the definition files: the
 * position of the field the diagnostic's path names, or of the nearest enclosing
 * field written literally in the file, or of the `define*` call.
 */
export async function locateDiagnostics(root: string, definitions: Definitions, diagnostics: readonly Diagnostic[]): Promise<Diagnostic[]> {
  if (!diagnostics.some((d) => d.file && d.line === undefined)) return [...diagnostics];
  const ts = (await import('typescript')).default;
  const sites = new Map<string, { line: number; column: number }>();
  for (const loaded of [definitions.platform, ...definitions.policies, ...definitions.models]) {
    if (loaded?.site) sites.set(loaded.file, loaded.site);
  }
  const parsed = new Map<string, { source: import('typescript').SourceFile; root?: Node } | null>();
  return diagnostics.map((d) => {
    if (!d.file || d.line !== undefined) return d;
    if (!parsed.has(d.file)) parsed.set(d.file, parse(ts, path.join(root, d.file)));
    const file = parsed.get(d.file);
    const node = file?.root ? findNode(ts, file.root, d.path ?? []) : undefined;
    if (file && node) {
      const position = file.source.getLineAndCharacterOfPosition(node.getStart(file.source));
      return { ...d, line: position.line + 1, column: position.character + 1 };
    }
    const site = sites.get(d.file);
    return { ...d, line: site?.line ?? 1, column: site?.column ?? 1 };
  });
}

function parse(ts: Ts, absolute: string) {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    return null;
  }
  const source = ts.createSourceFile(absolute, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return { source, root: findDefineCall(ts, source) };
}

/** The object literal passed to the file's `define*(...)` call. */
function findDefineCall(ts: Ts, source: Node): Node | undefined {
  let found: Node | undefined;
  const visit = (node: Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /^define(Model|Platform|RolloutPolicy)$/.test(node.expression.text)) {
      const arg = node.arguments[0];
      if (arg) found = unwrap(ts, arg);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function unwrap(ts: Ts, node: Node): Node {
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  return node;
}

/**
 * Walks object and array literals along `fieldPath`. Returns the deepest node
 * reached: the property assignment for a found key, else the enclosing literal.
 */
function findNode(ts: Ts, start: Node, fieldPath: FieldPath): Node | undefined {
  let current: Node = start;
  let best: Node = start;
  for (const key of fieldPath) {
    current = unwrap(ts, current);
    if (ts.isObjectLiteralExpression(current) && typeof key === 'string') {
      const property = current.properties.find((p) => p.name && propertyName(ts, p.name) === key);
      if (!property) return best;
      best = property;
      if (ts.isPropertyAssignment(property)) current = property.initializer;
      else return best;
    } else if (ts.isArrayLiteralExpression(current) && typeof key === 'number') {
      const element = current.elements[key];
      if (!element || ts.isSpreadElement(element)) return best;
      best = element;
      current = element;
    } else {
      return best;
    }
  }
  return best;
}

function propertyName(ts: Ts, name: import('typescript').PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
  return undefined;
}
