import { z } from 'zod';

/** GET /health: 200 when both are up, 503 (same body) when either is down. */
export const healthResponse = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  postgres: z.enum(['up', 'down']),
  redis: z.enum(['up', 'down']),
});
