/**
 * `instanceof` for deepgram-rx's error classes across copies of the package in one process.
 */

/** A class whose instances are errors (any constructor parameters). */
type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Makes `value instanceof cls` true for instances of `cls` from any copy of deepgram-rx in the
 * process, such as the ESM build (loaded by `import`) and the CommonJS build (loaded by `require`),
 * each of which has its own class objects. The prototype carries a registry symbol named after the
 * class (`Symbol.for`, the same in every copy), and `cls` answers `instanceof` by it instead of by
 * prototype identity. A subclass of `cls` keeps the ordinary check.
 *
 * @param cls - the error class
 * @param name - its public name (not `cls.name`, which a minifier may change)
 */
export function brandErrorClass(cls: ErrorClass, name: string): void {
  const brand = Symbol.for(`deepgram-rx.${name}`);
  Object.defineProperty(cls.prototype, brand, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value);
      return (typeof value === 'object' || typeof value === 'function') && value !== null && brand in value;
    },
  });
}
