/** The small part of fengari (a Lua VM in JavaScript, no types shipped) the health-script tests use. */
declare module 'fengari' {
  export type LuaState = { readonly __lua: unique symbol };
  export const lua: {
    LUA_OK: number;
    LUA_TNIL: number;
    LUA_TTABLE: number;
    LUA_TSTRING: number;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: Uint8Array): void;
    lua_newtable(L: LuaState): void;
    lua_settable(L: LuaState, index: number): void;
    lua_setfield(L: LuaState, index: number, key: Uint8Array): void;
    lua_getfield(L: LuaState, index: number, key: Uint8Array): number;
    lua_setglobal(L: LuaState, name: Uint8Array): void;
    lua_pushjsfunction(L: LuaState, f: (L: LuaState) => number): void;
    lua_pcall(L: LuaState, nargs: number, nresults: number, handler: number): number;
    lua_gettop(L: LuaState): number;
    lua_type(L: LuaState, index: number): number;
    lua_tojsstring(L: LuaState, index: number): string;
    lua_pop(L: LuaState, n: number): void;
    lua_tointeger(L: LuaState, index: number): number;
    lua_tonumber(L: LuaState, index: number): number;
  };
  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_requiref(L: LuaState, name: Uint8Array, open: (L: LuaState) => number, global: number): void;
    luaL_loadstring(L: LuaState, code: Uint8Array): number;
    luaL_checkstring(L: LuaState, index: number): Uint8Array;
    luaL_checktype(L: LuaState, index: number, t: number): void;
    luaL_optinteger(L: LuaState, index: number, def: number): number;
  };
  export const lualib: {
    luaopen_base(L: LuaState): number;
    luaopen_table(L: LuaState): number;
    luaopen_string(L: LuaState): number;
    luaopen_package(L: LuaState): number;
    LUA_TABLIBNAME: string;
    LUA_STRLIBNAME: string;
    LUA_LOADLIBNAME: string;
  };
  export function to_luastring(s: string): Uint8Array;
}
