import type { ModelDefinition, PlatformDefinition, RolloutPolicyDefinition, SourceLocation } from '../definitions/index.js';

/** A definition as loaded: its value and where it came from. */
export interface Loaded<T> {
  readonly value: T;
  /** Repository-relative path, with forward slashes. */
  readonly file: string;
  /** Position of the `define*` call, when it could be recorded. */
  readonly site?: SourceLocation;
}

/** Everything under models/ and policies/, as loaded. Nothing here is validated yet. */
export interface Definitions {
  readonly platform?: Loaded<PlatformDefinition>;
  readonly policies: readonly Loaded<RolloutPolicyDefinition>[];
  readonly models: readonly Loaded<ModelDefinition>[];
}
