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
  const file = parseSource(o.ours, 'model.ts');
  const ours = literalOf(file, o.env);
  if (!base || !theirs || !ours) throw new EditError(`deploy.${o.env} is not written as an object literal in every version of the file`);
  const changes: FieldChange[] = [];
  const kept: string[] = [];
  const conflicts: string[] = [];
  mergeLiterals(base, ours, theirs, `deploy.${o.env}`, { changes, kept, conflicts });
  if (conflicts.length > 0) throw new MergeConflict(conflicts);
  return { text: file.getFullText(), changes, kept };
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
}

function mergeLiterals(base: ObjectLiteralExpression | undefined, ours: ObjectLiteralExpression, theirs: ObjectLiteralExpression, at: string, r: Results): void {
  const names = unionNames(ours, theirs, base);
  // Decide first, then edit: edits re-create nodes of `ours`.
  const plan: { name: string; kind: 'take' | 'recurse' }[] = [];
  for (const name of names) {
    const b = base && member(base, name);
    const m = member(ours, name);
    const t = member(theirs, name);
    const [bv, ov, tv] = [tokens(b), tokens(m), tokens(t)];
    if (ov === tv) continue;
    if (ov === bv) plan.push({ name, kind: 'take' });
    else if (tv === bv) r.kept.push(`${at}.${name}`);
    else if (literalValue(m) && literalValue(t) && (b === undefined || literalValue(b))) plan.push({ name, kind: 'recurse' });
    else r.conflicts.push(`${at}.${name}`);
  }
  for (const step of plan) {
    const path = `${at}.${step.name}`;
    if (step.kind === 'recurse') {
      mergeLiterals(literalValue(base && member(base, step.name)), literalValue(member(ours, step.name))!, literalValue(member(theirs, step.name))!, path, r);
      continue;
    }
    const m = member(ours, step.name);
    const t = member(theirs, step.name);
    r.changes.push({ path, from: valueText(m), to: valueText(t) });
    if (!t) {
      m!.remove();
    } else if (m && Node.isPropertyAssignment(m) && Node.isPropertyAssignment(t)) {
      m.setInitializer(t.getInitializerOrThrow().getText());
    } else {
      const index = m ? ours.getProperties().indexOf(m) : insertionIndex(ours, theirs, step.name);
      m?.remove();
      insertMember(ours, index, t);
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

/** Where a member of `theirs` goes in `ours`: after the nearest preceding member both have. */
function insertionIndex(ours: ObjectLiteralExpression, theirs: ObjectLiteralExpression, name: string): number {
  const order = theirs.getProperties();
  for (let i = order.findIndex((p) => memberName(p) === name) - 1; i >= 0; i--) {
    const anchor = member(ours, memberName(order[i])!);
    if (anchor) return ours.getProperties().indexOf(anchor) + 1;
  }
  return 0;
}

function insertMember(literal: ObjectLiteralExpression, index: number, from: ObjectLiteralElementLike): void {
  if (Node.isPropertyAssignment(from)) literal.insertPropertyAssignment(index, { name: from.getNameNode().getText(), initializer: from.getInitializerOrThrow().getText() });
  else if (Node.isShorthandPropertyAssignment(from)) literal.insertShorthandPropertyAssignment(index, { name: from.getName() });
  else throw new EditError(`${from.getText().slice(0, 40)} cannot be restored automatically: merge it by hand`);
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
