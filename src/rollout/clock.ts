import * as g from '../git/git.js';
import type { ResolvedModel } from '../resolve/index.js';
import { deploymentFieldTokens } from '../source/index.js';

/** When the current canary step of a model began, and how that was found. */
export interface StepClock {
  readonly at?: Date;
  /** Set when the step's own commit (its `Modelplane-Step` trailer) was not found. */
  readonly warning?: string;
}

/**
 * The commit that set the model's current canary step: the newest commit whose
 * `Modelplane-Step` trailer names this model, environment, version and step
 * (written by release and promote). Commits made without modelplane have no
 * trailer: then the oldest commit of the latest unbroken run of commits in
 * which `deploy.<env>.canary` reads as it does now (so an unrelated edit of the
 * file does not restart the clock), else the file's last change; both with a
 * warning.
 */
export async function stepClock(root: string, model: ResolvedModel): Promise<StepClock> {
  const canary = model.canary;
  if (!canary) return {};
  const own = await g.stepCommit(root, model.id, model.env, canary.version, canary.step);
  if (own) return { at: own.committedAt };
  const trailer = `Modelplane-Step: ${g.stepTrailerValue(model.id, model.env, canary.version, canary.step)}`;
  const history = await g.fileCommits(root, model.file, 'HEAD', 100);
  const current = deploymentFieldTokens(await g.showFile(root, 'HEAD', model.file).catch(() => ''), model.env, 'canary');
  let setBy: g.CommitRef | undefined;
  if (current !== undefined) {
    for (const commit of history) {
      const text = await g.showFile(root, commit.sha, model.file).catch(() => undefined);
      if (text === undefined || deploymentFieldTokens(text, model.env, 'canary') !== current) break;
      setBy = commit;
    }
  }
  if (setBy)
    return {
      at: setBy.committedAt,
      warning: `no commit with the trailer '${trailer}' found: step ${canary.step}'s clock starts at ${setBy.sha.slice(0, 12)} (${setBy.committedAt.toISOString()}), the commit that set deploy.${model.env}.canary as it is now`,
    };
  const last = history[0];
  return {
    at: last?.committedAt,
    warning: last
      ? `no commit with the trailer '${trailer}' found: step ${canary.step}'s clock starts at the last change of ${model.file} (${last.sha.slice(0, 12)}, ${last.committedAt.toISOString()})`
      : `no commit with the trailer '${trailer}' found and ${model.file} has no history: the step's clock is unknown`,
  };
}
