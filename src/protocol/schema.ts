/**
 * A very small validator for untrusted JSON: exact object shapes, no unknown keys,
 * no prototype keys. Shared by the server (every frame and body) and the SDK (server frames).
 */

export type Check<T> = (value: unknown, path: string) => T;

export class SchemaError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path || 'value'}: ${message}`);
    this.name = 'SchemaError';
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// The builders below are marked free of side effects: a bundle (the browser's) that never checks a
// frame drops that frame's schema, which module-level `object({...})` calls would otherwise keep.

/* @__NO_SIDE_EFFECTS__ */
export function str(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Check<string> {
  const { min = 0, max = Infinity, pattern } = opts;
  return (v, path) => {
    if (typeof v !== 'string') throw new SchemaError(path, 'must be a string');
    if (v.length < min)
      throw new SchemaError(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
    if (v.length > max) throw new SchemaError(path, `must be at most ${max} characters`);
    if (pattern && !pattern.test(v)) throw new SchemaError(path, 'has characters that are not allowed');
    return v;
  };
}

/** The check applied to a string with its surrounding white space removed. */
/* @__NO_SIDE_EFFECTS__ */
export function trimmed<T>(check: Check<T>): Check<T> {
  return (v, path) => check(typeof v === 'string' ? v.trim() : v, path);
}

/* @__NO_SIDE_EFFECTS__ */
export function num(opts: { min?: number; max?: number; integer?: boolean } = {}): Check<number> {
  const { min = -Infinity, max = Infinity, integer = false } = opts;
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SchemaError(path, 'must be a number');
    if (integer && !Number.isInteger(v)) throw new SchemaError(path, 'must be an integer');
    if (v < min || v > max) throw new SchemaError(path, `must be between ${min} and ${max}`);
    return v;
  };
}

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new SchemaError(path, 'must be true or false');
  return v;
};

/* @__NO_SIDE_EFFECTS__ */
export function literal<const L extends string | number | boolean>(value: L): Check<L> {
  return (v, path) => {
    if (v !== value) throw new SchemaError(path, `must be ${JSON.stringify(value)}`);
    return value;
  };
}

/* @__NO_SIDE_EFFECTS__ */
export function oneOf<const L extends string>(values: readonly L[]): Check<L> {
  return (v, path) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw new SchemaError(path, `must be one of ${values.join(', ')}`);
    }
    return v as L;
  };
}

/* @__NO_SIDE_EFFECTS__ */
export function optional<T>(check: Check<T>): Check<T | undefined> & { optional: true } {
  const c = ((v: unknown, path: string) => (v === undefined ? undefined : check(v, path))) as Check<T | undefined> & {
    optional: true;
  };
  c.optional = true;
  return c;
}

/* @__NO_SIDE_EFFECTS__ */
export function arrayOf<T>(check: Check<T>, opts: { min?: number; max?: number } = {}): Check<T[]> {
  const { min = 0, max = Infinity } = opts;
  return (v, path) => {
    if (!Array.isArray(v)) throw new SchemaError(path, 'must be an array');
    if (v.length < min || v.length > max) throw new SchemaError(path, `must have ${min} to ${max} items`);
    return v.map((item, i) => check(item, `${path}[${i}]`));
  };
}

type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: S[K] extends Check<infer T> ? T : never };

/** An object with exactly these keys (optional ones may be absent); any other key is an error. */
/* @__NO_SIDE_EFFECTS__ */
export function object<S extends Shape>(shape: S): Check<Out<S>> {
  const keys = Object.keys(shape);
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SchemaError(path, 'must be an object');
    const input = v as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (FORBIDDEN_KEYS.has(key) || !Object.prototype.hasOwnProperty.call(shape, key)) {
        throw new SchemaError(path ? `${path}.${key}` : key, 'is not a known field');
      }
    }
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of keys) {
      const value = Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined;
      const checked = shape[key]!(value, path ? `${path}.${key}` : key);
      if (checked !== undefined) out[key] = checked;
    }
    return out as Out<S>;
  };
}

/** Runs a check and returns either the value or the schema error, never throwing. */
export function validate<T>(
  check: Check<T>,
  value: unknown,
): { ok: true; value: T } | { ok: false; error: SchemaError } {
  try {
    return { ok: true, value: check(value, '') };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: e };
    throw e;
  }
}
