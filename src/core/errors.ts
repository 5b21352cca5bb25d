/** An argument breaks its rule: `argument` is the parameter's name, `rule` reads after it ("must be ..."). */
export class InvalidArgument extends Error {
  constructor(
    readonly argument: string,
    readonly rule: string,
  ) {
    super(`${argument} ${rule}`);
    this.name = "InvalidArgument";
  }
}

/** The arguments are valid but the asked-for result does not exist (e.g. no liquidation price). */
export class NotApplicable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotApplicable";
  }
}
