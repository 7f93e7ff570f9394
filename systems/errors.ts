/** A named error with a machine-readable code; each system's error type extends it with its codes. */
export class CodedError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
  }
}
