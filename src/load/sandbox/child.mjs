// The sandboxed loader process. Plain JavaScript on purpose: it runs under the
// Node permission model (no tsx), with an empty environment, reads limited to
// models/, policies/ and the bundles the parent made, no writes, no child
// processes, no workers, frozen intrinsics (--frozen-intrinsics).
//
// Protocol (IPC, structured clone): the parent sends { nonce, files: [{ url }],
// end? }, then, while bundling goes on, more { nonce, files } and finally
// { nonce, end: true }. The child imports each url in order, one at a time, and
// answers { nonce, index, result } per file (index counts from the first file
// of the first message), then { nonce, done: true } after the end. Definitions
// never see the nonce, so a message they send is recognisably forged; a
// message that arrives without it (process.emit('message') from a definition)
// is ignored.
//
// Everything this file uses is captured before any definition runs: process
// is mutable, intrinsics are frozen.
const send = process.send.bind(process);
const exitNow = process.reallyExit.bind(process);
const onProcess = process.on.bind(process);
const { getPrototypeOf, keys, getOwnPropertyNames, getOwnPropertyDescriptor, defineProperty } = Object;
const { isArray } = Array;
const ObjectPrototype = Object.prototype;
const KIND = Symbol.for('modelplane.kind');
const SOURCE = Symbol.for('modelplane.source');
const StringCtor = String;
const ErrorCtor = Error;
const captureStack = () => {
  try {
    return StringCtor(new ErrorCtor().stack ?? '');
  } catch {
    return '';
  }
};

/** Limits of what a definition may send back: far above any real definition. */
const MAX_DEPTH = 64;
const MAX_NODES = 500_000;
const MAX_STRING = 1 << 20;
const MAX_TOTAL_CHARS = 32 << 20;
const MAX_PROBLEMS = 20;
const MAX_TEXT = 2_000;

// Globals are locked (an intrinsic replaced on globalThis would change how later
// files evaluate); globals added later stay possible.
for (const key of Reflect.ownKeys(globalThis)) {
  const d = getOwnPropertyDescriptor(globalThis, key);
  if (d && 'value' in d && d.configurable) defineProperty(globalThis, key, { value: d.value, writable: false, configurable: false, enumerable: d.enumerable });
}

/** Set while a definition is imported or read, for events that carry no usable stack. */
let current = -1;
let nonce;

const text = (value) => {
  try {
    const s = value instanceof ErrorCtor ? StringCtor(value.message) : StringCtor(value);
    return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
  } catch {
    return 'a value that cannot be printed';
  }
};
const stackOf = (value) => {
  try {
    const s = value instanceof ErrorCtor ? StringCtor(value.stack ?? '') : '';
    return s.length > 20 * MAX_TEXT ? s.slice(0, 20 * MAX_TEXT) : s;
  } catch {
    return '';
  }
};
const report = (message) => send({ nonce, ...message });

// A definition may not end the process: each way is replaced by a function that
// reports the caller (by its stack) and throws, so the import fails.
class ExitAttempt extends ErrorCtor {}
for (const name of ['exit', 'reallyExit', 'abort', 'kill', 'dlopen']) {
  const replacement = function (code) {
    report({ event: 'exit', index: current, how: `process.${name}(${code === undefined ? '' : text(code)})`, stack: captureStack() });
    throw new ExitAttempt(`process.${name}() is not allowed in a definition`);
  };
  defineProperty(process, name, { value: replacement, writable: false, configurable: false });
}
onProcess('uncaughtException', (error) => {
  if (error instanceof ExitAttempt) return;
  report({ event: 'uncaught', index: current, message: text(error), stack: stackOf(error) });
});
onProcess('unhandledRejection', (error) => {
  if (error instanceof ExitAttempt) return;
  report({ event: 'uncaught', index: current, message: text(error), stack: stackOf(error) });
});
onProcess('disconnect', () => exitNow(0));

/** One plain copy of a definition: getters and proxies are read once, here. */
function copy(root) {
  const problems = [];
  let nodes = 0;
  let chars = 0;
  const done = new Map();
  const onPath = new Set();
  const problem = (code, path, what) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ code, path: path.slice(0, MAX_DEPTH + 1), message: what });
  };
  const plain = (path, value) => {
    if (problems.length >= MAX_PROBLEMS) return { skip: true };
    const type = typeof value;
    if (type === 'string') {
      if (value.length > MAX_STRING) return problem('MP1008', path, `is a string of ${value.length} characters (at most ${MAX_STRING})`), { skip: true };
      chars += value.length;
      if (chars > MAX_TOTAL_CHARS) return problem('MP1008', path, `goes past ${MAX_TOTAL_CHARS} characters of text in one definition`), { skip: true };
      return { value };
    }
    if (value === null || type === 'number' || type === 'boolean' || type === 'undefined') return { value };
    if (type === 'function') return problem('MP1007', path, 'a function'), { skip: true };
    if (type === 'symbol' || type === 'bigint') return problem('MP1007', path, `a ${type}`), { skip: true };
    if (done.has(value)) return { value: done.get(value) };
    if (onPath.has(value)) return problem('MP1007', path, 'a circular reference'), { skip: true };
    if (path.length >= MAX_DEPTH) return problem('MP1008', path, `is nested deeper than ${MAX_DEPTH} levels`), { skip: true };
    if (++nodes > MAX_NODES) return problem('MP1008', path, `goes past ${MAX_NODES} objects and arrays in one definition`), { skip: true };
    return { container: value };
  };
  const reading = (path, error) => problem('MP1008', path, `could not be read: ${text(error)}`);

  // Iterative depth-first copy: no recursion, so no nesting overflows this stack.
  const start = plain([], root);
  if (!start.container) return { value: start.value, problems };
  const stack = [];
  const open = (source, path) => {
    let array;
    let names;
    try {
      array = isArray(source);
      if (!array) {
        const proto = getPrototypeOf(source);
        if (proto !== ObjectPrototype && proto !== null) {
          let name = 'a class';
          try {
            const ctor = proto.constructor;
            if (typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name) name = ctor.name;
          } catch {}
          problem('MP1007', path, `an instance of ${name}`);
          return undefined;
        }
      }
      if (array) {
        const length = source.length;
        if (typeof length !== 'number' || !(length >= 0) || length > MAX_NODES) {
          problem('MP1008', path, `is an array whose length is ${text(length)}`);
          return undefined;
        }
        names = length;
      } else {
        names = keys(source);
      }
    } catch (error) {
      reading(path, error);
      return undefined;
    }
    const target = array ? new Array(names) : {};
    onPath.add(source);
    done.set(source, target);
    stack.push({ source, target, array, names, i: 0, path });
    return target;
  };
  const rootCopy = open(start.container, []);
  if (!rootCopy) return { value: undefined, problems };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const count = frame.array ? frame.names : frame.names.length;
    if (frame.i >= count || problems.length >= MAX_PROBLEMS) {
      onPath.delete(frame.source);
      stack.pop();
      continue;
    }
    const key = frame.array ? frame.i : frame.names[frame.i];
    frame.i++;
    const path = [...frame.path, key];
    let value;
    try {
      value = frame.source[key];
    } catch (error) {
      reading(path, error);
      continue;
    }
    const next = plain(path, value);
    if (next.skip) continue;
    if (next.container) {
      const child = open(next.container, path);
      if (child) frame.target[key] = child;
    } else {
      frame.target[key] = next.value;
    }
  }
  return { value: rootCopy, problems };
}

function shapeOf(value) {
  if (value === null) return 'null';
  if (isArray(value)) return 'array';
  return typeof value;
}

async function loadOne(index, url) {
  current = index;
  let module;
  try {
    module = await import(url);
  } catch (error) {
    return { error: { message: text(error), stack: stackOf(error), exit: error instanceof ExitAttempt } };
  }
  let value;
  let kind;
  let site;
  try {
    value = module.default;
    if (value !== null && typeof value === 'object') {
      kind = value[KIND];
      const s = value[SOURCE];
      if (s && typeof s === 'object') site = { file: StringCtor(s.file), line: Number(s.line), column: Number(s.column) };
    }
  } catch (error) {
    return { problems: [{ code: 'MP1008', path: [], message: `could not be read: ${text(error)}` }] };
  }
  const shape = shapeOf(value);
  if (typeof kind !== 'string') kind = undefined;
  if (value === undefined || (shape !== 'object' && shape !== 'array')) return { shape, kind };
  const copied = copy(value);
  if (copied.problems.length > 0) return { problems: copied.problems, shape, kind };
  return { value: copied.value, shape, kind, site };
}

const queue = [];
let ended = false;
let running = false;

async function drain() {
  if (running) return;
  running = true;
  for (let index = 0; ; index++) {
    while (index >= queue.length) {
      if (ended) {
        report({ done: true });
        return;
      }
      // Woken by the next message from the parent.
      await new Promise((resolve) => (wake = resolve));
    }
    const result = await loadOne(index, queue[index].url);
    queue[index] = undefined;
    current = -1;
    try {
      report({ index, result });
    } catch (error) {
      report({ index, result: { problems: [{ code: 'MP1008', path: [], message: `could not be sent back: ${text(error)}` }] } });
    }
  }
}
let wake;

onProcess('message', (message) => {
  if (nonce === undefined) {
    if (!message || typeof message.nonce !== 'string') return;
    nonce = message.nonce;
  } else if (!message || message.nonce !== nonce) return;
  if (isArray(message.files)) queue.push(...message.files);
  if (message.end === true) ended = true;
  const resume = wake;
  wake = undefined;
  resume?.();
  void drain();
});
