import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { routeTemplate } from '../common/route-template';
import { MetricsService } from './metrics.service';

/** Times every request to its end and counts it under its route template, method and status. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // A client that went away before the response ended: counted under 499 (nginx's convention).
      const status = res.writableFinished ? res.statusCode : 499;
      this.metrics.observeHttp(routeTemplate(req), req.method, status, seconds);
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  }
}
