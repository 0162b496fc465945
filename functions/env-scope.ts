/**
 * Where a function's environment variables come from. On Lambda, one function owns the process and
 * reads `process.env`. The local runtime runs every function in one process: it enters each
 * function's scope (`withFunctionEnvironment`) for the handler's module load and for every
 * invocation, and lookups inside that scope read only that function's variables, never the
 * process's nor another function's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type FunctionEnvironment = Readonly<Record<string, string | undefined>>;

// One storage per process, even if a module loader holds two copies of this file.
const STORAGE_KEY = Symbol.for('complaint-loop.function-environment');
const holder = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<FunctionEnvironment> };
const storage = (holder[STORAGE_KEY] ??= new AsyncLocalStorage<FunctionEnvironment>());

/** Runs `fn` (and everything it awaits or schedules) with `environment` as the function's variables. */
export function withFunctionEnvironment<T>(environment: FunctionEnvironment, fn: () => T): T {
  return storage.run(environment, fn);
}

/** The variables of the scope entered by the local runtime; undefined on Lambda. */
export function scopedEnvironment(): FunctionEnvironment | undefined {
  return storage.getStore();
}

/** One variable of the running function: its scope's when the local runtime entered one, else the process's. */
export function envValue(name: string): string | undefined {
  const scoped = storage.getStore();
  return scoped ? scoped[name] : process.env[name];
}
