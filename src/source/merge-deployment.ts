import { Node, ts, type ObjectLiteralElementLike, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { EditError } from './edit-deployment.js';
import { defineArgument, member, memberName, objectValue, parseSource, unwrap } from './syntax.js';

/** One field of `deploy.<env>` that a merge or an edit changes, as written in the file. */
export interface FieldChange {
  /** `deploy.prod.canary`, `deploy.prod.traffic.peakRps`. */
  readonly path: string;
  /** The value as written before (undefined: the field was absent). */
  readonly from?: string;
  /** The value as written after (undefined: the field is removed). */
  readonly to?: string;
}

/** Fields edited on both sides in different ways: the merge cannot choose. */
export class MergeConflict extends EditError {
  constructor(readonly paths: readonly string[]) {
    super(`${paths.join(', ')} ${paths.length === 1 ? 'was' : 'were'} changed both by the rollout and afterwards`);
  }
}

export interface DeploymentMerge {
  /** `ours` with the merged `deploy.<env>`; everything outside it is kept as it is in `ours`. */
  readonly text: string;
  /** What the merge changes in `ours` (the rollout's edits undone). */
  readonly changes: readonly FieldChange[];
  /** Fields edited after the rollout that the merge keeps as they are. */
  readonly kept: readonly string[];
}

/**
 * A three-way merge of `deploy.<env>` alone, field by field on the object
 * literals (nested literals are merged recursively). `base` is the file as the
 * rollout left it, `theirs` the file before the rollout, `ours` the current
 * file. A field the rollout changed and nobody touched since gets its old value;
 * a field edited since that the rollout did not change is kept; a field both
 * changed (differently) is a {@link MergeConflict}. Values compare by their
 * tokens, so layout and comments do not count as edits.
 */
export function mergeDeploymentSource(o: { readonly base: string; readonly ours: string; readonly theirs: string; readonly env: string }): DeploymentMerge {
  const base = literalOf(parseSource(o.base, 'base.ts'), o.env);
  const theirs = literalOf(parseSource(o.theirs, 'theirs.ts'), o.env);
  const ours = literalOf(parseSource(o.ours, 'model.ts'), o.env);
  if (!base || !theirs || !ours) throw new EditError(`deploy.${o.env} is not written as an object literal in every version of the file`);
  const r: Results = { changes: [], kept: [], conflicts: [], ops: [] };
  mergeLiterals(base, ours, theirs, [], `deploy.${o.env}`, r);
  if (r.conflicts.length > 0) throw new MergeConflict(r.conflicts);
  // Applied one by one on fresh parses of the text, so each edit sees exact positions.
  let text = o.ours;
  for (const op of r.ops) text = applyOp(text, o.env, op);
  return { text, changes: r.changes, kept: r.kept };
}

/** One edit of `ours`: at the literal reached by `path` below `deploy.<env>`, remove, set or insert member `name`. */
type Op =
  | { readonly kind: 'remove'; readonly path: readonly string[]; readonly name: string }
  | { readonly kind: 'set'; readonly path: readonly string[]; readonly name: string; readonly initializer: string }
  | { readonly kind: 'insert'; readonly path: readonly string[]; readonly name: string; readonly member: { readonly name: string; readonly initializer?: string }; readonly after?: string };

function applyOp(text: string, env: string, op: Op): string {
  const file = parseSource(text, 'model.ts');
  let literal = literalOf(file, env);
  for (const key of op.path) literal = literal && objectValue(member(literal, key));
  if (!literal) throw new EditError(`deploy.${env}.${op.path.join('.')} is not an object literal any more`);
  const existing = member(literal, op.name);
  if (op.kind === 'remove') return existing ? removeMemberText(text, existing) : text;
  if (op.kind === 'set' && existing && Node.isPropertyAssignment(existing)) {
    existing.setInitializer(op.initializer);
    return file.getFullText();
  }
  if (op.kind !== 'insert') throw new EditError(`deploy.${env}.${[...op.path, op.name].join('.')} cannot be set automatically: merge it by hand`);
  const anchor = op.after === undefined ? undefined : member(literal, op.after);
  const index = anchor ? literal.getProperties().indexOf(anchor) + 1 : 0;
  if (op.member.initializer === undefined) literal.insertShorthandPropertyAssignment(index, { name: op.member.name });
  else literal.insertPropertyAssignment(index, { name: op.member.name, initializer: op.member.initializer });
  return file.getFullText();
}

/** `text` without the member, its comma and the comments on its line; the whole line when the member is alone on it. */
function removeMemberText(text: string, m: ObjectLiteralElementLike): string {
  let start = m.getStart();
  let end = m.getEnd();
  const skip = (re: RegExp) => {
    const found = re.exec(text.slice(end));
    if (found) end += found[0].length;
  };
  skip(/^[ \t]*,/);
  skip(/^[ \t]*(\/\/[^\n]*|\/\*[^\n]*?\*\/)?/);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text[end] === '\n' && /^[ \t]*$/.test(text.slice(lineStart, start))) {
    start = lineStart;
    end += 1;
  } else {
    skip(/^[ \t]*/);
  }
  return text.slice(0, start) + text.slice(end);
}

/** Every field of `deploy.<env>` that differs between two versions of a model file (leaf-most literal fields). */
export function diffDeploymentSource(before: string, after: string, env: string): FieldChange[] {
  const a = literalOf(parseSource(before, 'before.ts'), env);
  const b = literalOf(parseSource(after, 'after.ts'), env);
  if (!a || !b) return a === b ? [] : [{ path: `deploy.${env}`, from: a?.getText(), to: b?.getText() }];
  const out: FieldChange[] = [];
  diffLiterals(a, b, `deploy.${env}`, out);
  return out;
}

interface Results {
  readonly changes: FieldChange[];
  readonly kept: string[];
  readonly conflicts: string[];
  readonly ops: Op[];
}

function mergeLiterals(base: ObjectLiteralExpression | undefined, ours: ObjectLiteralExpression, theirs: ObjectLiteralExpression, path: readonly string[], at: string, r: Results): void {
  for (const name of unionNames(ours, theirs, base)) {
    const b = base && member(base, name);
    const m = member(ours, name);
    const t = member(theirs, name);
    const [bv, ov, tv] = [tokens(b), tokens(m), tokens(t)];
    const where = `${at}.${name}`;
    if (ov === tv) continue;
    if (tv === bv) {
      r.kept.push(where);
    } else if (ov === bv) {
      r.changes.push({ path: where, from: valueText(m), to: valueText(t) });
      if (!t) r.ops.push({ kind: 'remove', path, name });
      else if (m && Node.isPropertyAssignment(m) && Node.isPropertyAssignment(t)) r.ops.push({ kind: 'set', path, name, initializer: t.getInitializerOrThrow().getText() });
      else {
        if (m) r.ops.push({ kind: 'remove', path, name });
        r.ops.push({ kind: 'insert', path, name, member: memberSpec(t), after: precedingShared(ours, theirs, name) });
      }
    } else if (literalValue(m) && literalValue(t) && (b === undefined || literalValue(b))) {
      mergeLiterals(literalValue(b), literalValue(m)!, literalValue(t)!, [...path, name], where, r);
    } else {
      r.conflicts.push(where);
    }
  }
}

function diffLiterals(a: ObjectLiteralExpression, b: ObjectLiteralExpression, at: string, out: FieldChange[]): void {
  for (const name of unionNames(b, a)) {
    const x = member(a, name);
    const y = member(b, name);
    if (tokens(x) === tokens(y)) continue;
    const [lx, ly] = [literalValue(x), literalValue(y)];
    if (lx && ly) diffLiterals(lx, ly, `${at}.${name}`, out);
    else out.push({ path: `${at}.${name}`, from: valueText(x), to: valueText(y) });
  }
}

/** Names of `first`'s members in order, then the others' that it lacks. */
function unionNames(first: ObjectLiteralExpression, ...others: (ObjectLiteralExpression | undefined)[]): string[] {
  const names: string[] = [];
  for (const literal of [first, ...others]) {
    for (const p of literal?.getProperties() ?? []) {
      const name = memberName(p);
      if (name === undefined) throw new EditError(`a member of deploy is not a plain field (${p.getText().slice(0, 40)}): merge it by hand`);
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

/** The member of `ours` a restored member of `theirs` goes after: the nearest preceding member both have. */
function precedingShared(ours: ObjectLiteralExpression, theirs: ObjectLiteralExpression, name: string): string | undefined {
  const order = theirs.getProperties();
  for (let i = order.findIndex((p) => memberName(p) === name) - 1; i >= 0; i--) {
    const key = memberName(order[i])!;
    if (member(ours, key)) return key;
  }
  return undefined;
}

function memberSpec(from: ObjectLiteralElementLike): { name: string; initializer?: string } {
  if (Node.isPropertyAssignment(from)) return { name: from.getNameNode().getText(), initializer: from.getInitializerOrThrow().getText() };
  if (Node.isShorthandPropertyAssignment(from)) return { name: from.getName() };
  throw new EditError(`${from.getText().slice(0, 40)} cannot be restored automatically: merge it by hand`);
}

function literalValue(m: ObjectLiteralElementLike | undefined): ObjectLiteralExpression | undefined {
  return objectValue(m);
}

function valueText(m: ObjectLiteralElementLike | undefined): string | undefined {
  if (!m) return undefined;
  const text = Node.isPropertyAssignment(m) ? unwrap(m.getInitializerOrThrow()).getText() : m.getText();
  return text.replace(/\s+/g, ' ');
}

/** A member's value as its tokens (no whitespace, no comments, no trailing commas); undefined when absent. */
function tokens(m: ObjectLiteralElementLike | undefined): string | undefined {
  if (!m) return undefined;
  const text = Node.isPropertyAssignment(m) ? m.getInitializerOrThrow().getText() : m.getText();
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const token = scanner.getTokenText();
    if ((token === '}' || token === ']') && out.at(-1) === ',') out.pop();
    out.push(kind === ts.SyntaxKind.StringLiteral ? JSON.stringify(scanner.getTokenValue()) : token);
  }
  return out.join(' ');
}

function literalOf(file: SourceFile, env: string): ObjectLiteralExpression | undefined {
  const model = defineArgument(file, 'defineModel');
  if (!model || !Node.isObjectLiteralExpression(model)) return undefined;
  const deploy = objectValue(member(model, 'deploy'));
  return deploy && objectValue(member(deploy, env));
}

/** The value of `deploy.<env>.<field>` as tokens (layout and comments ignored), or undefined when absent or unreadable. */
export function deploymentFieldTokens(text: string, env: string, field: string): string | undefined {
  try {
    const literal = literalOf(parseSource(text, 'model.ts'), env);
    return literal && tokens(member(literal, field));
  } catch {
    return undefined;
  }
}
