import { IndentationText, Node, Project, QuoteKind, type ObjectLiteralElementLike, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import type { FieldPath } from '../diagnostics/index.js';

/**
 * The one way modelplane reads the syntax of a definition file (ts-morph): the
 * loader's locate step, release, promote and rollback all walk a file with
 * these functions, so `as`, `satisfies` and parentheses are seen through the
 * same way everywhere.
 */

/** Parses TypeScript text in memory; edits keep the file's indentation and use single quotes. */
export function parseSource(text: string, name = 'definition.ts'): SourceFile {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: detectIndentation(text), quoteKind: QuoteKind.Single },
  });
  return project.createSourceFile(name, text, { overwrite: true });
}

function detectIndentation(text: string): IndentationText {
  if (/^\t/m.test(text)) return IndentationText.Tab;
  return /^ {4}\S/m.test(text) && !/^ {2}\S/m.test(text) ? IndentationText.FourSpaces : IndentationText.TwoSpaces;
}

/** The expression under parentheses, `as`, `satisfies`, `<T>x` and `x!`. */
export function unwrap(node: Node): Node {
  let current = node;
  while (
    Node.isParenthesizedExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isSatisfiesExpression(current) ||
    Node.isTypeAssertion(current) ||
    Node.isNonNullExpression(current)
  )
    current = current.getExpression();
  return current;
}

const DEFINE = /^define(Model|Platform|RolloutPolicy)$/;

/** The (unwrapped) argument of the file's first `define*(...)` call, or of the first call of `callee` when given. */
export function defineArgument(file: SourceFile, callee?: 'defineModel' | 'definePlatform' | 'defineRolloutPolicy'): Node | undefined {
  let found: Node | undefined;
  file.forEachDescendant((node, traversal) => {
    if (!Node.isCallExpression(node)) return;
    const expression = node.getExpression();
    if (!Node.isIdentifier(expression)) return;
    const name = expression.getText();
    if (callee ? name !== callee : !DEFINE.test(name)) return;
    const arg = node.getArguments()[0];
    if (arg) found = unwrap(arg);
    traversal.stop();
  });
  return found;
}

/** The key of an object member as written: `a`, `'a'`, `1`, `['a']`; undefined for other computed keys. */
export function memberName(member: Node): string | undefined {
  const name = (member as { getNameNode?: () => Node }).getNameNode?.();
  if (!name) return undefined;
  if (Node.isIdentifier(name) || Node.isPrivateIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralText();
  if (Node.isNumericLiteral(name)) return String(name.getLiteralValue());
  if (Node.isComputedPropertyName(name)) {
    const inner = name.getExpression();
    if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralText();
  }
  return undefined;
}

/** The member of an object literal written with key `name` (a property, shorthand, method or accessor). */
export function member(literal: ObjectLiteralExpression, name: string): ObjectLiteralElementLike | undefined {
  return literal.getProperties().find((p) => memberName(p) === name);
}

/** The object literal a member's value is written as (`key: {...}`, through `as`/`satisfies`), or undefined. */
export function objectValue(node: Node | undefined): ObjectLiteralExpression | undefined {
  if (!node || !Node.isPropertyAssignment(node)) return undefined;
  const init = node.getInitializer();
  const value = init && unwrap(init);
  return value && Node.isObjectLiteralExpression(value) ? value : undefined;
}

/**
 * Walks object and array literals from `start` along `path`. Returns the
 * deepest node reached: the member for a found key, the element for a found
 * index, else the enclosing literal.
 */
export function nodeAt(start: Node, path: FieldPath): Node {
  let current = start;
  let best = start;
  for (const key of path) {
    current = unwrap(current);
    if (Node.isObjectLiteralExpression(current) && typeof key === 'string') {
      const found = member(current, key);
      if (!found) return best;
      best = found;
      if (!Node.isPropertyAssignment(found)) return best;
      const init = found.getInitializer();
      if (!init) return best;
      current = init;
    } else if (Node.isArrayLiteralExpression(current) && typeof key === 'number') {
      const element = current.getElements()[key];
      if (!element || Node.isSpreadElement(element)) return best;
      best = element;
      current = element;
    } else {
      return best;
    }
  }
  return best;
}
