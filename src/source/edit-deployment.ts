import { Node, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { defineArgument, member, objectValue, parseSource } from './syntax.js';

/** A change to one environment's deployment of a model. */
export type DeploymentEdit =
  | { readonly kind: 'start-canary'; readonly version: string; readonly policy: string }
  | { readonly kind: 'set-step'; readonly step: number }
  | { readonly kind: 'promote'; readonly version: string; readonly previous: string; readonly until: string }
  | { readonly kind: 'deploy'; readonly version: string; readonly previous: string; readonly until: string }
  | { readonly kind: 'abort-canary' }
  | { readonly kind: 'expire-previous' };

/** The file cannot be edited safely (for example `deploy.prod` is not written as an object literal). */
export class EditError extends Error {}

/**
 * Applies an edit to the text of a `models/<id>.ts` file, keeping the rest of
 * the file as the author wrote it.
 */
export function editModelSource(text: string, env: string, edit: DeploymentEdit): string {
  const file = parseSource(text, 'model.ts');
  const deployment = deploymentLiteral(file, env);
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  switch (edit.kind) {
    case 'start-canary':
      if (member(deployment, 'canary')) throw new EditError(`deploy.${env} already has a canary: promote or roll it back first`);
      setProperty(deployment, 'canary', `{ version: ${q(edit.version)}, policy: ${q(edit.policy)}, step: 0 }`, 'version');
      break;
    case 'set-step': {
      const canary = member(deployment, 'canary');
      if (!canary) throw new EditError(`deploy.${env} has no canary to advance`);
      setProperty(objectLiteral(canary, `deploy.${env}.canary`), 'step', String(edit.step));
      break;
    }
    case 'promote':
    case 'deploy':
      setProperty(deployment, 'version', q(edit.version));
      removeProperty(deployment, 'canary');
      setProperty(deployment, 'previous', `{ version: ${q(edit.previous)}, until: ${q(edit.until)} }`, 'version');
      break;
    case 'abort-canary':
      if (!removeProperty(deployment, 'canary')) throw new EditError(`deploy.${env} has no canary to roll back`);
      break;
    case 'expire-previous':
      removeProperty(deployment, 'previous');
      break;
  }
  return file.getFullText();
}

/**
 * `text` with `deploy.<env>` written as it is in `before` (another version of
 * the same file); the rest of `text` is kept.
 */
export function restoreDeploymentSource(text: string, before: string, env: string): string {
  const oldEnv = deploymentProperty(parseSource(before, 'before.ts'), env);
  const file = parseSource(text, 'model.ts');
  const newEnv = deploymentProperty(file, env);
  if (!oldEnv || !newEnv) throw new EditError(`deploy.${env} is not written as an object literal`);
  // Spliced as text: the old block keeps its own layout (it sits at the same depth in both versions).
  const target = newEnv.getInitializerOrThrow();
  return text.slice(0, target.getStart()) + oldEnv.getInitializerOrThrow().getText() + text.slice(target.getEnd());
}

/** The `<env>: ...` property of `deploy` in the file's `defineModel({...})`. */
function deploymentProperty(file: SourceFile, env: string) {
  const model = defineArgument(file, 'defineModel');
  if (!model || !Node.isObjectLiteralExpression(model)) return undefined;
  const deploy = objectValue(member(model, 'deploy'));
  const property = deploy && member(deploy, env);
  return property && Node.isPropertyAssignment(property) ? property : undefined;
}

function deploymentLiteral(file: SourceFile, env: string): ObjectLiteralExpression {
  const model = defineArgument(file, 'defineModel');
  if (!model || !Node.isObjectLiteralExpression(model)) throw new EditError('no `defineModel({...})` call with an object literal found');
  const deploy = member(model, 'deploy');
  const deployLiteral = deploy && objectLiteral(deploy, 'deploy');
  if (!deployLiteral) throw new EditError('`deploy` is not written as an object literal in the file');
  const envProperty = member(deployLiteral, env);
  const literal = envProperty && objectLiteral(envProperty, `deploy.${env}`);
  if (!literal) throw new EditError(`deploy.${env} is not written as an object literal in the file: add the environment first`);
  return literal;
}

function objectLiteral(node: Node, what: string): ObjectLiteralExpression {
  const literal = objectValue(node);
  if (!literal) throw new EditError(`${what} is not written as an object literal in the file`);
  return literal;
}

function setProperty(literal: ObjectLiteralExpression, name: string, initializer: string, after?: string): void {
  const existing = member(literal, name);
  if (existing && Node.isPropertyAssignment(existing)) {
    existing.setInitializer(initializer);
    return;
  }
  existing?.remove();
  const anchor = after ? member(literal, after) : undefined;
  const properties: Node[] = literal.getProperties();
  const index = anchor ? properties.indexOf(anchor) + 1 : properties.length;
  literal.insertPropertyAssignment(index, { name, initializer });
}

function removeProperty(literal: ObjectLiteralExpression, name: string): boolean {
  const existing = member(literal, name);
  if (!existing) return false;
  // Comments that sit on the lines of the removed property go with it.
  existing.remove();
  return true;
}
