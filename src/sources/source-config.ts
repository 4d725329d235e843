import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/config';
import { envNameOf } from './source-definition';
import { SOURCES } from './sources.catalog';

export type Transport = 'http' | 'file' | 'none';

export interface SourceConfig {
  name: string;
  transport: Transport;
  url?: string;
  token?: string;
  dropDir: string;
  cron: string;
}

/**
 * Per-source settings: SOURCE_<NAME>_URL and _TOKEN select the HTTP pull; otherwise a directory
 * FEED_DROP_DIR/<source>/ selects the file drop; otherwise the source is not configured.
 * SOURCE_<NAME>_CRON overrides the default schedule.
 */
export function sourceConfig(config: AppConfig, name: string): SourceConfig {
  const def = SOURCES.find((s) => s.name === name);
  if (!def) throw new Error(`unknown source ${name}`);
  const env = envNameOf(name);
  const url = config.env[`SOURCE_${env}_URL`]?.trim() || undefined;
  const dropDir = join(config.feedDropDir, name);
  const hasDir = existsSync(dropDir) && statSync(dropDir).isDirectory();
  return {
    name,
    transport: url ? 'http' : hasDir ? 'file' : 'none',
    url,
    token: config.env[`SOURCE_${env}_TOKEN`]?.trim() || undefined,
    dropDir,
    cron: config.env[`SOURCE_${env}_CRON`]?.trim() || def.defaultCron,
  };
}

export function allSourceConfigs(config: AppConfig): SourceConfig[] {
  return SOURCES.map((s) => sourceConfig(config, s.name));
}

/** The BullMQ job scheduler of a source's sync (one per source, shared by every replica). */
export const schedulerIdOf = (source: string) => `sync:${source}`;
