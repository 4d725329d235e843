import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { PUBLIC_KEY } from '../auth/decorators';

/**
 * Limits authenticated calls per API token (runs after the auth guard, which sets `req.actor`),
 * across all routes: one budget per token, not one per route. Public routes (health, docs) are
 * not limited here: /health must answer under load.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(!!this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]));
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = req.actor as { tokenId?: number; userId?: number; name?: string } | undefined;
    if (actor?.userId !== undefined) return Promise.resolve(`user:${actor.userId}`);
    return Promise.resolve(actor?.tokenId !== undefined ? `token:${actor.tokenId}` : `actor:${actor?.name ?? String(req.ip)}`);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }
}
