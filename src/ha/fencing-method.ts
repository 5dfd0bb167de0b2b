import { existsSync } from 'node:fs';
import { FenceIpmilan, IpmitoolFencer, type Fencer } from './fencer.ts';

/** How failed hosts are powered off: `auto` is fence_ipmilan when installed, else ipmitool. */
export type FencingMethod = 'auto' | 'fence_ipmilan' | 'ipmitool' | 'none';

export const FENCE_IPMILAN = '/usr/sbin/fence_ipmilan';

export function fencerFor(method: FencingMethod = 'auto'): Fencer | null {
  switch (method) {
    case 'none':
      return null;
    case 'ipmitool':
      return new IpmitoolFencer();
    case 'fence_ipmilan':
      return new FenceIpmilan({ command: FENCE_IPMILAN });
    case 'auto':
      return existsSync(FENCE_IPMILAN) ? new FenceIpmilan({ command: FENCE_IPMILAN }) : new IpmitoolFencer();
  }
}
