import { CATALOGUE, type Code, type CodeEntry } from './codes.js';

type MessagesOf<C extends Code> = (typeof CATALOGUE)[C]['messages'];
type ParamsOf<T> = T extends (args: infer A) => string ? A : never;

/**
 * The arguments of a message of `C`: the parameters its template declares,
 * and `messageId` naming the message when it is not `default`. A message is
 * always built from these; no call site passes its text.
 */
export type MessageArgs<C extends Code> = C extends Code
  ? {
      [M in keyof MessagesOf<C>]: ParamsOf<MessagesOf<C>[M]> & (M extends 'default' ? { readonly messageId?: 'default' } : { readonly messageId: M });
    }[keyof MessagesOf<C>]
  : never;

/** The message of `code` for `args`, by the code's template. */
export function message<C extends Code>(code: C, args: MessageArgs<C>): string {
  // An assertion, not a user error: the types make a string or a missing template impossible.
  if (typeof args !== 'object' || args === null) throw new TypeError(`bug: ${code} was given ${typeof args} instead of its message arguments`);
  const entry: CodeEntry = CATALOGUE[code];
  const id = (args as { readonly messageId?: string }).messageId ?? 'default';
  const template = entry.messages[id] as ((a: MessageArgs<C>) => string) | undefined;
  if (!template) throw new TypeError(`bug: ${code} has no message '${id}'`);
  return template(args);
}

/**
 * Codes whose arguments a plain string would satisfy: none. If a template
 * ever takes no parameters (or only optional ones), this fails to compile,
 * naming the code, so a raw message string can never stand for arguments.
 */
type TakesAString = { [C in Code]: string extends MessageArgs<C> ? C : never }[Code];
export const NO_CODE_TAKES_A_STRING: [TakesAString] extends [never] ? true : TakesAString = true;
