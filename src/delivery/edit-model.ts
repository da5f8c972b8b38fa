import { IndentationText, Node, Project, QuoteKind, SyntaxKind, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';

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
 * Applies an edit to the text of a `models/<id>.ts` file with the TypeScript
 * AST (ts-morph), keeping the rest of the file as the author wrote it.
 */
export function editModelSource(text: string, env: string, edit: DeploymentEdit): string {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: detectIndentation(text), quoteKind: QuoteKind.Single },
  });
  const file = project.createSourceFile('model.ts', text);
  const deployment = deploymentLiteral(file, env);
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  switch (edit.kind) {
    case 'start-canary':
      if (property(deployment, 'canary')) throw new EditError(`deploy.${env} already has a canary: promote or roll it back first`);
      setProperty(deployment, 'canary', `{ version: ${q(edit.version)}, policy: ${q(edit.policy)}, step: 0 }`, 'version');
      break;
    case 'set-step': {
      const canary = property(deployment, 'canary');
      const literal = canary && objectInitializer(canary, `deploy.${env}.canary`);
      if (!literal) throw new EditError(`deploy.${env} has no canary to advance`);
      setProperty(literal, 'step', String(edit.step));
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

function deploymentLiteral(file: SourceFile, env: string): ObjectLiteralExpression {
  const call = file
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .find((c) => c.getExpression().getText() === 'defineModel');
  const arg = call?.getArguments()[0];
  if (!arg || !Node.isObjectLiteralExpression(arg)) throw new EditError('no `defineModel({...})` call with an object literal found');
  const deploy = property(arg, 'deploy');
  const deployLiteral = deploy && objectInitializer(deploy, 'deploy');
  if (!deployLiteral) throw new EditError('`deploy` is not written as an object literal in the file');
  const envProperty = property(deployLiteral, env);
  const literal = envProperty && objectInitializer(envProperty, `deploy.${env}`);
  if (!literal) throw new EditError(`deploy.${env} is not written as an object literal in the file: add the environment first`);
  return literal;
}

function property(literal: ObjectLiteralExpression, name: string) {
  return literal.getProperties().find((p) => {
    if (!Node.isPropertyAssignment(p) && !Node.isShorthandPropertyAssignment(p)) return false;
    const n = p.getNameNode();
    return (Node.isStringLiteral(n) ? n.getLiteralText() : n.getText()) === name;
  });
}

function objectInitializer(node: Node, what: string): ObjectLiteralExpression {
  const init = Node.isPropertyAssignment(node) ? node.getInitializer() : undefined;
  if (!init || !Node.isObjectLiteralExpression(init)) throw new EditError(`${what} is not written as an object literal in the file`);
  return init;
}

function setProperty(literal: ObjectLiteralExpression, name: string, initializer: string, after?: string): void {
  const existing = property(literal, name);
  if (existing && Node.isPropertyAssignment(existing)) {
    existing.setInitializer(initializer);
    return;
  }
  existing?.remove();
  const anchor = after ? property(literal, after) : undefined;
  const index = anchor ? literal.getProperties().indexOf(anchor) + 1 : literal.getProperties().length;
  literal.insertPropertyAssignment(index, { name, initializer });
}

function removeProperty(literal: ObjectLiteralExpression, name: string): boolean {
  const existing = property(literal, name);
  if (!existing) return false;
  // Comments that sit on the lines of the removed property go with it.
  existing.remove();
  return true;
}

function detectIndentation(text: string): IndentationText {
  if (/^\t/m.test(text)) return IndentationText.Tab;
  return /^ {4}\S/m.test(text) && !/^ {2}\S/m.test(text) ? IndentationText.FourSpaces : IndentationText.TwoSpaces;
}
