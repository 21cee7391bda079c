/** Status code of an @azure/cosmos ErrorResponse (or undefined for other errors). */
function cosmosStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

export const isConflict = (err: unknown) => cosmosStatus(err) === 409;
export const isPreconditionFailed = (err: unknown) => cosmosStatus(err) === 412;
export const isNotFound = (err: unknown) => cosmosStatus(err) === 404;
