// A prompt-language error the user can fix (too many expansions, a malformed styles file, a grid
// axis that is not a number…). shared/ cannot import the engine's UserError, so shells convert this.
export class PromptError extends Error {
  override name = 'PromptError';
}
