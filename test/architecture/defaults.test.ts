// Defaults live in src/resolve: the renderers, the metrics and the rollout code apply none of their own
// (issue 10). A `??` inside the text of an emitted expression is text, not a default, and is not counted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Node, Project, SyntaxKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(join(SRC, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/** `a ?? b` expressions of a file, as file:line. */
function nullishDefaults(file: string, text: string): string[] {
  const source = new Project({ useInMemoryFileSystem: true }).createSourceFile(file, text);
  return source
    .getDescendantsOfKind(SyntaxKind.BinaryExpression)
    .filter((b) => b.getOperatorToken().getKind() === SyntaxKind.QuestionQuestionToken)
    .map((b: Node) => `${file}:${b.getStartLineNumber()}`);
}

describe('no ?? defaults outside resolve', () => {
  it.each(['charts', 'metrics', 'rollout'])('src/%s applies no default with ??', (dir) => {
    const found = files(dir).flatMap((f) => nullishDefaults(f, readFileSync(join(SRC, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('finds a ?? expression, and not one inside a string', () => {
    expect(nullishDefaults('x.ts', 'const a = b ?? 3;\nconst t = `x ?? y`;\n')).toEqual(['x.ts:1']);
  });
});
