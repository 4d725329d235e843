import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from './errors';

export function zodIssues(err: z.ZodError) {
  return err.issues.flatMap((i) => {
    const at = i.path.join('.');
    // An unknown parameter is named as the field, not hidden behind the object that holds it.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: at ? `${at}.${k}` : k, reason: '未知参数' }));
    return [{ field: at || '(root)', reason: i.message }];
  });
}

/** Parses a body, query or param with a zod schema: 400 with every bad field and its reason. */
export class ZodPipe<T extends z.ZodType> implements PipeTransform {
  constructor(private readonly schema: T) {}
  transform(value: unknown): z.infer<T> {
    const r = this.schema.safeParse(value ?? {});
    if (!r.success) throw new DomainError('VALIDATION', '请求参数无效', zodIssues(r.error));
    return r.data;
  }
}
