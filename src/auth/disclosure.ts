import { z } from 'zod';
import { DomainError } from '../common/errors';
import { maskIdNo } from '../common/identity';
import { Actor, ROLES_SEEING_ID } from './actor';
import { purposeText } from './purpose';

/** Query parameters by which a request asks to see ID numbers in clear. */
export const disclosureQuery = z.object({
  reveal: z.enum(['true', 'false', '1', '0']).optional(),
  purpose: purposeText.optional(),
});
export type DisclosureQuery = z.infer<typeof disclosureQuery>;

/** Whether ID numbers are shown in clear: only for a role that may, asked for, with a purpose. */
export class Disclosure {
  private constructor(
    readonly reveal: boolean,
    readonly purpose: string | null,
  ) {}

  static masked(): Disclosure {
    return new Disclosure(false, null);
  }

  static from(actor: Actor, q: DisclosureQuery): Disclosure {
    const asked = q.reveal === 'true' || q.reveal === '1';
    if (!asked) return Disclosure.masked();
    if (!ROLES_SEEING_ID.includes(actor.role)) {
      throw new DomainError('FORBIDDEN', `角色 ${actor.role} 无权查看完整身份证号`);
    }
    if (!q.purpose) {
      throw new DomainError('VALIDATION', '查看完整身份证号须说明用途', [{ field: 'purpose', reason: '必填（reveal=true 时）' }]);
    }
    return new Disclosure(true, q.purpose);
  }

  idNo(idNo: string | null | undefined): string | null {
    return this.reveal ? (idNo ?? null) : maskIdNo(idNo);
  }
}
