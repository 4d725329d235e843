import { civilAffairs } from './definitions/civil-affairs';
import { housingFund } from './definitions/housing-fund';
import { marketSupervision } from './definitions/market-supervision';
import { property } from './definitions/property';
import { publicSecurity } from './definitions/public-security';
import { socialSecurity } from './definitions/social-security';
import { utilities } from './definitions/utilities';
import { vehicle } from './definitions/vehicle';
import { CompiledSource, compileSource } from './source-definition';

/** Every department source. A ninth is one file in definitions/ and one line here. */
export const SOURCES: CompiledSource[] = [civilAffairs, property, vehicle, socialSecurity, housingFund, marketSupervision, publicSecurity, utilities].map(
  compileSource,
);

export const SOURCE_NAMES = SOURCES.map((s) => s.name);

export function sourceByName(name: string): CompiledSource | undefined {
  return SOURCES.find((s) => s.name === name);
}
