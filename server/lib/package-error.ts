/** A course package (or a draft checked as one) that cannot be imported: the file at fault and the reason. */
export class PackageError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}
