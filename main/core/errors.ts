// An error the user caused and can fix: the CLI prints its message on one line and exits non-zero,
// the app shows it as-is. Anything else is a bug and keeps its stack.
export class UserError extends Error {
  override name = 'UserError';
}
