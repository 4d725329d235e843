import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from './errors';

// zod's own messages (a missing field, a wrong type) in Chinese, like the reasons we write ourselves.
z.config(z.locales.zhCN());

export function zodIssues(err: z.ZodError) {
  return err.issues.flatMap((i) => {
    const at = i.path.join('.');
    // An unknown parameter is named as the field, not hidden behind the object that holds it.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: at ? `${at}.${k}` : k, reason: '未知参数' }));
    return [{ field: at || '(root)', reason: i.message }];
  });
}

/**
 * Parses a body, query or param with a zod schema: 400 with every bad field and its reason.
 * Objects are parsed strictly: an unknown field or query parameter is an error that names it, not
 * something silently ignored (a misspelt filter would otherwise return everything).
 */
export class ZodPipe<T extends z.ZodType> implements PipeTransform {
  private readonly schema: z.ZodType;

  /** `field`: the name of a single value parsed (a path parameter), used in its issues. */
  constructor(
    schema: T,
    private readonly field?: string,
  ) {
    this.schema = schema instanceof z.ZodObject ? schema.strict() : schema;
  }
  transform(value: unknown): z.infer<T> {
    const r = this.schema.safeParse(this.field === undefined ? (value ?? {}) : value);
    if (!r.success) {
      const issues = zodIssues(r.error).map((i) => (this.field === undefined ? i : { ...i, field: i.field === '(root)' ? this.field : `${this.field}.${i.field}` }));
      throw new DomainError('VALIDATION', '请求参数无效', issues);
    }
    return r.data as z.infer<T>;
  }
}

/** A path parameter parsed with a schema: `@Param('id', param('id', bigId))`. */
export const param = <T extends z.ZodType>(name: string, schema: T) => new ZodPipe(schema, name);
