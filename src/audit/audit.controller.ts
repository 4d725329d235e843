import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { pageShape } from '../common/pagination';
import { CityWide, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod-validation.pipe';
import { businessCode, isoDate } from '../common/schemas';
import { AuditService } from './audit.service';
import { auditPage } from './audit.responses';

const auditQuery = z
  .object({
    entityType: z.string().optional(),
    entityId: z.string().optional(),
    actor: z.string().optional(),
    action: z.string().optional(),
    /** A household code: entries about that household. */
    household: businessCode.optional(),
    /** First and last day (YYYY-MM-DD, the bureau's time zone), both included. */
    from: isoDate.optional(),
    to: isoDate.optional(),
    ...pageShape(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] });

@ApiTags('audit')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @ApiOp('listAudit', 'The audit log, newest first (filters: actor, action, entity, household code, days from/to)')
  @ApiZodResponse(200, auditPage)
  @ApiErrorResponses('VALIDATION')
  @Get()
  @Roles('admin', 'auditor')
  @CityWide()
  @ApiZodQuery(auditQuery)
  list(@Query(new ZodPipe(auditQuery)) q: z.infer<typeof auditQuery>) {
    return this.audit.list(q);
  }
}
