import { DynamicModule, Global, Module } from '@nestjs/common';
import { setTimeZone } from '../common/clock';
import { setValueLimits } from '../common/value-limits';
import { AppConfig } from './config';

@Global()
@Module({})
export class ConfigModule {
  static forConfig(config: AppConfig): DynamicModule {
    // Field schemas are module-level: the value limits they check are this process's (one config per process).
    setValueLimits(config.valueLimits);
    setTimeZone(config.timeZone);
    return { module: ConfigModule, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}
