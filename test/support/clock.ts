import { setClock, today } from '../../src/common/clock';

/**
 * Pins the service's clock (in this process) at the current instant and returns that day in
 * Asia/Shanghai: a suite that runs across midnight keeps one date. Undo with `unpinToday`.
 */
export function pinToday(): string {
  setClock(new Date());
  return today();
}

export function unpinToday(): void {
  setClock(null);
}
