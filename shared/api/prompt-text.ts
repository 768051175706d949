// The API's schema for text a person types: a string that passes the plain-text rule
// (#shared/prompt/plain-text).
import { z } from 'zod';
import { controlCharacterProblem } from '../prompt/plain-text';

/** A string with no control characters. */
export const PlainText = z.string().superRefine((text, ctx) => {
  const problem = controlCharacterProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
