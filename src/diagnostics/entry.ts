/** How bad a diagnostic is: errors stop the compilation, warnings are printed. */
export type Severity = 'error' | 'warning';

/**
 * A message template: the code's typed parameters → the message text. Every
 * template declares its parameter type; `never` here only lets templates of
 * any parameter type sit in one catalogue.
 */
export type Template = (args: never) => string;

/**
 * The messages of one code: `default`, and named variants of the same
 * problem (`MP3008` an unknown runtime, or `format`: a runtime that does not
 * serve the version's format), chosen with `messageId`.
 */
export interface Messages {
  readonly default: Template;
  readonly [messageId: string]: Template;
}

/** One entry of the catalogue. */
export interface CodeEntry {
  readonly severity: Severity;
  /** Severity on a strict tier (`tiers.<name>.strict`), for codes whose gate is stricter there. */
  readonly strict?: Severity;
  /** What the code means, as the README table shows it. */
  readonly meaning: string;
  readonly messages: Messages;
}

/** Entries of one family of codes (`MP1xxx`, ...), merged into the catalogue in `codes.ts`. */
export type Entries = { readonly [code: `MP${number}`]: CodeEntry };
