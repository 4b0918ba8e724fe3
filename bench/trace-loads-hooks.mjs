// Module hooks that report every resolved specifier to stderr, to prove what a command loads.
export async function resolve(specifier, context, next) {
  process._rawDebug(`LOAD ${specifier}`);
  return next(specifier, context);
}
