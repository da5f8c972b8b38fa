/**
 * Runs an Argo CD health script in a real Lua VM (fengari) with the libraries
 * Argo CD gives custom scripts (`util/lua/lua.go`): package, base, table and a
 * safe `os` with only `time` and `date`; `string` only when the kind's
 * `useOpenLibs` key is "true". The clock and the controller's time zone are
 * parameters, so a test never depends on when or where it runs.
 */
import { lauxlib, lua, lualib, to_luastring, type LuaState } from 'fengari';

export interface HealthRun {
  readonly status: string;
  readonly message: string;
}

export interface HealthOptions {
  /** Whether `argocd-cm` has `resource.customizations.useOpenLibs.<group>_<kind>: "true"`. */
  readonly openLibs: boolean;
  /** The controller's clock. */
  readonly now: Date;
  /** The controller's local zone, as minutes east of UTC (gopher-lua's `os.time{...}` reads tables in it). */
  readonly utcOffsetMinutes?: number;
}

function push(L: LuaState, value: unknown): void {
  if (value === null || value === undefined) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') lua.lua_pushnumber(L, value);
  else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (Array.isArray(value)) {
    lua.lua_newtable(L);
    value.forEach((item, i) => {
      lua.lua_pushinteger(L, i + 1);
      push(L, item);
      lua.lua_settable(L, -3);
    });
  } else {
    lua.lua_newtable(L);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      push(L, v);
      lua.lua_setfield(L, -2, to_luastring(k));
    }
  }
}

/** The safe `os` of Argo CD: `os.time()`, `os.time{...}` (local zone), `os.date("*t")` / `os.date("!*t")`. */
function safeOs(L: LuaState, now: Date, offsetSeconds: number): void {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  lua.lua_newtable(L);
  lua.lua_pushjsfunction(L, (S) => {
    if (lua.lua_gettop(S) === 0) {
      lua.lua_pushinteger(S, nowSeconds);
      return 1;
    }
    const field = (name: string, fallback: number) => {
      const t = lua.lua_getfield(S, 1, to_luastring(name));
      const v = t === lua.LUA_TNIL ? fallback : lua.lua_tonumber(S, -1);
      lua.lua_pop(S, 1);
      return v;
    };
    const utc = Date.UTC(field('year', -1), field('month', -1) - 1, field('day', -1), field('hour', 12), field('min', 0), field('sec', 0)) / 1000;
    lua.lua_pushinteger(S, utc - offsetSeconds);
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring('time'));
  lua.lua_pushjsfunction(L, (S) => {
    const format = lua.lua_gettop(S) >= 1 ? lua.lua_tojsstring(S, 1) : '%c';
    const utc = format.startsWith('!');
    if (format.replace(/^!/, '') !== '*t') throw new Error(`os.date: format ${format} is not supported by this harness`);
    const d = new Date((nowSeconds + (utc ? 0 : offsetSeconds)) * 1000);
    push(S, { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), min: d.getUTCMinutes(), sec: d.getUTCSeconds(), isdst: false });
    return 1;
  });
  lua.lua_setfield(L, -2, to_luastring('date'));
  lua.lua_setglobal(L, to_luastring('os'));
}

/** Runs `script` with `obj` as Argo CD does; throws with Lua's message when the script fails. */
export function runHealthLua(script: string, obj: unknown, options: HealthOptions): HealthRun {
  const L = lauxlib.luaL_newstate();
  lauxlib.luaL_requiref(L, to_luastring('_G'), lualib.luaopen_base, 1);
  lauxlib.luaL_requiref(L, to_luastring(lualib.LUA_LOADLIBNAME), lualib.luaopen_package, 1);
  lauxlib.luaL_requiref(L, to_luastring(lualib.LUA_TABLIBNAME), lualib.luaopen_table, 1);
  if (options.openLibs) lauxlib.luaL_requiref(L, to_luastring(lualib.LUA_STRLIBNAME), lualib.luaopen_string, 1);
  else {
    // Without open libraries there is no string library, not even as the strings' metatable.
    lua.lua_pushnil(L);
    lua.lua_setglobal(L, to_luastring('string'));
  }
  lua.lua_pop(L, lua.lua_gettop(L));
  safeOs(L, options.now, (options.utcOffsetMinutes ?? 0) * 60);
  push(L, obj);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK) throw new Error(`Lua syntax: ${lua.lua_tojsstring(L, -1)}`);
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) throw new Error(`Lua error: ${lua.lua_tojsstring(L, -1)}`);
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) throw new Error('the health script returned no table');
  const read = (key: string) => {
    const t = lua.lua_getfield(L, -1, to_luastring(key));
    const v = t === lua.LUA_TNIL ? '' : lua.lua_tojsstring(L, -1);
    lua.lua_pop(L, 1);
    return v;
  };
  return { status: read('status'), message: read('message') };
}
