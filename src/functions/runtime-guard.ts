/*
 * Loaded before functions.ts. Outside Office (the dashboard in a plain browser, or when office.js
 * could not load) there is no CustomFunctions global, and the registration calls appended to
 * functions.ts would throw; a no-op registry keeps the page working as a dashboard.
 */
const scope = globalThis as { CustomFunctions?: unknown };
if (typeof scope.CustomFunctions === "undefined") {
  class OfflineError extends Error {
    constructor(
      readonly code: string,
      message?: string,
    ) {
      super(message);
    }
  }
  scope.CustomFunctions = {
    associate: () => undefined,
    Error: OfflineError,
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", invalidNumber: "#NUM!" },
  };
}
export {};
