import { LoggerModule, Params } from 'nestjs-pino';
import { HTTP_LOGGING } from './logging';

/** nestjs-pino: Nest's logs and one line per HTTP request, both through the process's pino logger (logging.ts). */
export const LoggingModule = LoggerModule.forRoot({ pinoHttp: HTTP_LOGGING as Params['pinoHttp'] });
