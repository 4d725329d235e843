import { z } from 'zod';

/** The page and pageSize query parameters every list endpoint takes. */
export const pageShape = (defaultSize = 100) => ({
  page: z.coerce.number().int().min(1).max(1_000_000, '页码超出范围').default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(defaultSize),
});
