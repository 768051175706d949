// HTTP status for each API error code.
import type { ApiErrorBody } from '#shared/api/common';

export const STATUS: Record<ApiErrorBody['code'], number> = {
  'invalid-input': 400,
  user: 400,
  unauthorized: 401,
  'not-found': 404,
  'unknown-method': 404,
  internal: 500,
};
