// Placeholder until the live data path lands (issue 4): every live cell says so with #N/A.
const notYet = () =>
  new CustomFunctions.Error(CustomFunctions.ErrorCode.notAvailable, "live data is not wired yet");

export function streamQuoteField(
  _exchange: string,
  _symbol: string,
  _field: string | null | undefined,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  invocation.setResult(notYet() as unknown as number);
}

export async function fundingHistoryTable(
  _exchange: string,
  _symbol: string,
  _days?: number | null,
  _headers?: boolean | null,
): Promise<(string | number)[][]> {
  throw notYet();
}
