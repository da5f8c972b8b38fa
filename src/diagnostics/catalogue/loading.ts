/** MP1xxx: loading definition files (src/load). */
import type { Entries } from '../entry.js';
import { type FieldPath, formatPath, listFiles } from '../text.js';

/** What a definition file exported instead of the definition expected. */
export type Exported = { readonly shape: 'undefined' | 'null' | 'array' | 'object' | string } | { readonly definition: string };

const exported = (e: Exported): string => {
  if ('definition' in e) return `exports a ${e.definition} definition`;
  switch (e.shape) {
    case 'undefined':
      return 'has no default export';
    case 'null':
      return 'exports null';
    case 'array':
      return 'exports an array';
    case 'object':
      return 'exports an object not made by a define* function';
    default:
      return `exports a ${e.shape}`;
  }
};

/** The name without its last extension. */
const stem = (name: string) => name.replace(/\.[^.]*$/, '');

const importedBy = (files: readonly string[] | undefined) => (files && files.length > 0 ? ` (imported by ${listFiles(files)})` : '');

/** An event of the loading process, in the sandbox's words (`did not finish loading within 5 s`), at the file it names. */
const event = ({ file, event }: { readonly file: string; readonly event: string }) => `${file} ${event}`;

export const LOADING = {
  MP1001: {
    severity: 'error',
    meaning: 'a definition file failed to import (syntax error, throws, bad import)',
    messages: {
      /** `reason`: the bundler's or the thrown error's first line; `importedBy`: the definition files that import `file`. */
      default: ({ file, reason, syntax, importedBy: by }: { readonly file: string; readonly reason: string; readonly syntax?: boolean; readonly importedBy?: readonly string[] }) =>
        `${file} failed to import: ${syntax ? 'syntax error: ' : ''}${reason}${importedBy(by)}`,
      outside: ({ file, folder }: { readonly file: string; readonly folder: string }) =>
        `${file} could not be loaded: it resolves outside the repository (is ${folder}/ or the file a symbolic link?); keep definitions in the repository's own ${folder}/ folder`,
      event,
    },
  },
  MP1002: {
    severity: 'error',
    meaning: 'a definition file has no default export, or exports the wrong kind of definition',
    messages: {
      default: ({ file, exported: e, expected }: { readonly file: string; readonly exported: Exported; readonly expected: string }) =>
        `${file} ${exported(e)}: expected \`export default ${expected}({...})\``,
    },
  },
  MP1003: {
    severity: 'error',
    meaning: 'policies/platform.ts is missing',
    messages: {
      default: ({ file }: { readonly file: string }) => `${file} is missing: declare environments, node pools, teams, tiers and runtimes there with definePlatform({...})`,
    },
  },
  MP1004: {
    severity: 'error',
    meaning: 'two model files declare the same model id',
    messages: {
      /** `name`: the model id. */
      default: ({ name, first, second }: { readonly name: string; readonly first: string; readonly second: string }) =>
        `model id '${name}' is declared in both ${first} and ${second}: each model id must be unique`,
    },
  },
  MP1005: {
    severity: 'error',
    meaning: 'two policy files declare the same policy name',
    messages: {
      default: ({ name, first, second }: { readonly name: string; readonly first: string; readonly second: string }) =>
        `policy name '${name}' is declared in both ${first} and ${second}: each policy name must be unique`,
    },
  },
  MP1006: {
    severity: 'error',
    meaning: 'a model file is not named after its model id',
    messages: {
      default: ({ id, file, expected }: { readonly id: string; readonly file: string; readonly expected: string }) =>
        `model id '${id}' is declared in ${file}: rename the file to ${expected} (one model per file, named after its id)`,
    },
  },
  MP1007: {
    severity: 'error',
    meaning: 'a definition contains a value that is not plain data (circular reference, function, NaN or Infinity)',
    messages: {
      /** `found`: what the value is (`a function`, `NaN`, `a circular reference`). */
      default: ({ path, found }: { readonly path: FieldPath; readonly found: string }) =>
        `${formatPath(path)} is ${found}: definitions must be plain data (strings, finite numbers, booleans, arrays and objects)`,
    },
  },
  MP1008: {
    severity: 'error',
    meaning: 'a definition could not be read as plain data: a getter or proxy threw, or it is nested too deep or too large',
    messages: {
      /** `problem`: what reading the value did, in the sandbox's words (`has a getter that threw: no`). */
      default: ({ file, path, problem }: { readonly file: string; readonly path: FieldPath; readonly problem: string }) =>
        `${file}: ${formatPath(path)} ${problem}: a definition must be plain data that can be read once`,
    },
  },
  MP1009: {
    severity: 'error',
    meaning: 'a definition file did not finish loading before the deadline, or tried to end or tamper with the loading process',
    messages: {
      /** `how`: the call that would have ended the process (`process.exit(0)`). */
      default: ({ file, how }: { readonly file: string; readonly how: string }) =>
        `${file} tried to end the loading process (${how}): a definition must not exit; nothing from it is used`,
      /** The process ended while `loading` loaded, though it loads alone: `file` (loaded before it) is blamed. */
      previous: ({ file, loading, ended }: { readonly file: string; readonly loading: string; readonly ended: string }) =>
        `the loading process ${ended} while ${loading} was loading, yet ${loading} loads on its own: ${file} (loaded just before it) or a file before it left something running that ended it`,
      event,
    },
  },
  MP1010: {
    severity: 'error',
    meaning: 'a file under models/ or policies/ is not loaded (a subfolder, another extension, a misnamed file): its definition would silently be left out',
    messages: {
      /** A file directly under `dir` that is not `<name>.ts`. */
      default: ({ file, dir, name }: { readonly file: string; readonly dir: string; readonly name: string }) =>
        `${file} is under ${dir}/ but is not loaded: it is not a definition file (${dir}/<name>.ts): rename it to ${dir}/${stem(stem(name))}.ts, prefix it with _ if it is a helper, or remove it`,
      subfolder: ({ file, dir, name }: { readonly file: string; readonly dir: string; readonly name: string }) =>
        `${file} is under ${dir}/ but is not loaded: definitions are loaded only from ${dir}/*.ts, not from subfolders: move it to ${dir}/${name}${/\.m?ts$/.test(name) ? '' : ` (as .ts)`}, or prefix the folder with _ if it holds helpers`,
      /** JavaScript or TSX. */
      script: ({ file, dir, name }: { readonly file: string; readonly dir: string; readonly name: string }) =>
        `${file} is under ${dir}/ but is not loaded: only TypeScript files (.ts, .mts) are loaded: rename it to ${dir}/${stem(name)}.ts, or prefix it with _ if it is a helper`,
    },
  },
} as const satisfies Entries;

